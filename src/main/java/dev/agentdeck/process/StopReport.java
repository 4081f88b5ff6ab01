package dev.agentdeck.process;

import java.util.List;

/**
 * How a tree stop went.
 *
 * @param escalated KILL was needed (the timeout passed, or it was a forced stop)
 * @param processes how many processes of the tree were seen in all
 * @param survivors PIDs still running when the stop gave up (a process in uninterruptible sleep, or not ours)
 * @param escaped   processes that had left the tree (double-forked daemons re-parented elsewhere) and were
 *                  found by the agent's identity in their environment or log files, and stopped with it
 * @param seen      every process of the run the stop saw, with its program's name
 */
record StopReport(boolean escalated, int processes, List<Long> survivors, long millis, List<Escaped> escaped,
                  List<Escaped> seen) {
    StopReport {
        survivors = List.copyOf(survivors);
        escaped = List.copyOf(escaped);
        seen = List.copyOf(seen);
    }

    StopReport(boolean escalated, int processes, List<Long> survivors, long millis) {
        this(escalated, processes, survivors, millis, List.of(), List.of());
    }

    /** A process that had left the agent's tree: its PID and its program's name (empty when unknown). */
    record Escaped(long pid, String name) {
        /** "PID 1234 (sleep)". */
        String describe() {
            return "PID " + pid + (name.isEmpty() ? "" : " (" + name + ")");
        }
    }

    /** The escaped processes that ended (not among the survivors). */
    List<Escaped> escapedAndEnded() {
        return escaped.stream().filter(e -> !survivors.contains(e.pid())).toList();
    }
}
