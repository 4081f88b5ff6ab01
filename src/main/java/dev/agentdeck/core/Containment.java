package dev.agentdeck.core;

/**
 * How an engine knows which processes belong to a run, so that a stop ends all of them and nothing else:
 * {@link Mode#CGROUP} (one cgroup v2 per run: nothing a process does to itself takes it out, short of writing
 * to the cgroup tree), {@link Mode#TRACKED} (the engine as child subreaper, each descendant recorded when first
 * seen, plus the run's session, process group, environment identity and log files), or {@link Mode#GROUPS}
 * (process groups and descendants only: systems other than Linux).
 *
 * @param mode   which one this engine uses
 * @param where  the cgroup folder the engine makes run cgroups in (CGROUP), else null
 * @param reason why this mode and not a stronger one, in words for people
 */
public record Containment(Mode mode, String where, String reason) {
    /** The ways of attributing processes to runs, strongest first. */
    public enum Mode { CGROUP, TRACKED, GROUPS }

    /** One line for people: "cgroup v2 (/sys/fs/cgroup/...)" or "tracked: subreaper and descendants (why)". */
    public String describe() {
        return switch (mode) {
            case CGROUP -> "cgroup v2, one cgroup per run (" + where + ")";
            case TRACKED -> "tracked: AgentDeck is child subreaper and records each descendant (" + reason + ")";
            case GROUPS -> "process groups and descendants only (" + reason + ")";
        };
    }
}
