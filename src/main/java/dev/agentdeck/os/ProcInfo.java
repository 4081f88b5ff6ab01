package dev.agentdeck.os;

/**
 * One process as {@code /proc/PID/stat} describes it (or as close as the platform gets).
 *
 * @param state      one letter: R running, S sleeping, D disk, T stopped, Z zombie, ...
 * @param startTicks start time in clock ticks since boot; with the PID, it identifies a process for good
 * @param cpuTicks   user + system CPU time in clock ticks
 * @param rssBytes   resident memory
 */
public record ProcInfo(long pid, long ppid, long pgid, long sid, char state, long startTicks, long cpuTicks,
                       int threads, long rssBytes) {

    /** A zombie has ended and waits to be reaped: it is not running. */
    public boolean zombie() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    public boolean stopped() {
        return state == 'T' || state == 't';
    }

    /** True when this record describes the same process as {@code other} (same PID, same start). */
    public boolean sameProcess(long otherPid, long otherStartTicks) {
        return pid == otherPid && startTicks == otherStartTicks;
    }
}
