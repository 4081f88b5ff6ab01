package dev.agentdeck.process;

import java.util.List;

/**
 * How a tree stop went.
 *
 * @param escalated KILL was needed (the timeout passed, or it was a forced stop)
 * @param processes how many processes of the tree were seen in all
 * @param survivors PIDs still running when the stop gave up (a process in uninterruptible sleep, or not ours)
 */
record StopReport(boolean escalated, int processes, List<Long> survivors, long millis) {
    StopReport {
        survivors = List.copyOf(survivors);
    }
}
