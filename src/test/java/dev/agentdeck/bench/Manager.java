package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process manager under test: AgentDeck's {@code serve}, supervisord (two configurations) or PM2. Each
 * {@link #launch} starts a private instance of it (its own config, socket or home; never the system's
 * service) with a fleet's agents defined and none started, and the session it returns knows the manager's
 * own command lines for start-all, stop-all and status.
 */
sealed interface Manager permits AgentDeckManager, SupervisordManager, Pm2Manager {
    /** The column this manager fills in the table. */
    String label();

    String version();

    /** A private instance of the manager with {@code fleet} defined, none started; files go into {@code dir}. */
    Session launch(Fleet fleet, Path dir) throws IOException, InterruptedException;

    /** One running instance. {@link #close()} stops it and kills every PID it or its agents left. */
    interface Session extends AutoCloseable {
        List<String> startAll();

        List<String> stopAll();

        List<String> status();

        /** The environment its command lines need (PM2_HOME). */
        Map<String, String> env();

        /** Reads the status command's output. */
        Tally tally(String statusOutput);

        /** The manager process whose CPU and memory are measured. */
        long daemonPid();

        /** Where command outputs go. */
        Path scratch();

        @Override
        void close();
    }

    /** The agents' states as the manager's status command reported them. */
    record Tally(int running, int gaveUp, String states) {
        static Tally of(List<String> states, List<String> runningWords, List<String> gaveUpWords) {
            Map<String, Long> counts = new java.util.TreeMap<>();
            states.forEach(s -> counts.merge(s, 1L, Long::sum));
            int running = (int) states.stream().filter(runningWords::contains).count();
            int gaveUp = (int) states.stream().filter(gaveUpWords::contains).count();
            StringBuilder text = new StringBuilder();
            counts.forEach((s, n) -> text.append(text.isEmpty() ? "" : ", ").append(n).append(' ').append(s));
            return new Tally(running, gaveUp, text.toString());
        }
    }
}
