package dev.agentdeck.bench;

/** One row of the peer table: what is measured, its unit and how many decimals it is shown with. */
enum Figure {
    START_ALL("start-all until the manager reports all N running", "s", 2, true),
    GRACEFUL_STOP("graceful stop-all until every agent PID is gone", "s", 2, true),
    STUBBORN_STOP("stop-all of N agents that ignore TERM/INT, each with a child (and one more forked on TERM), "
            + "2 s stop timeout, until the command returned and every agent PID is gone", "s", 2, true),
    SURVIVORS("agents and children alive 2.5 s after that stop-all was issued", "", 0, false),
    LEFT_BEHIND("agents and children alive 0.5 s after that stop-all finished", "", 0, false),
    IDLE_CPU("manager CPU-s per minute, N sleeping agents", "CPU-s", 3, true),
    IDLE_RSS("manager RSS, the most seen in that window", "MiB", 1, true),
    STATUS("status of all N from its command line (every call)", "s", 2, true),
    CRASH_RESTARTS("one crash-looping agent: restarts per minute", "", 0, true),
    CRASH_VERDICT("that crash loop: backs off? gives up?", null, 0, false),
    STORM_CPU("AgentDeck only: S crash-looping agents at once, serve CPU-s per minute", "CPU-s", 2, false),
    STORM_FATAL("AgentDeck only: of those S agents, how many ended FATAL", null, 0, false);

    private final String text;
    private final String unit;
    private final int decimals;
    private final boolean ratio;

    Figure(String text, String unit, int decimals, boolean ratio) {
        this.text = text;
        this.unit = unit;
        this.decimals = decimals;
        this.ratio = ratio;
    }

    /** Whether AgentDeck's ratio to a peer means something for this figure (not for counts of leftovers). */
    boolean ratio() {
        return ratio;
    }

    /** The row's text for N agents and a storm of S. */
    String text(int n, int storm) {
        return text.replace(" N ", " " + n + " ").replace(" 3N ", " " + 3 * n + " ").replace(" S ", " " + storm + " ");
    }

    /** Null for a row of words rather than numbers. */
    String unit() {
        return unit;
    }

    int decimals() {
        return decimals;
    }

    boolean numeric() {
        return unit != null;
    }
}
