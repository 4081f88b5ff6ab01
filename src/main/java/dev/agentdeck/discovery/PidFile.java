package dev.agentdeck.discovery;

import java.time.Instant;

/**
 * What {@code run/<id>.pid} records about a running agent, so that a later engine can find it again and
 * never mistake a recycled PID for it.
 *
 * @param startTime   when the process started (wall clock)
 * @param commandLine the process's argv joined by spaces
 * @param startTicks  start in clock ticks since boot (exact on the same boot), or null from other tools
 * @param bootId      the boot the ticks belong to, or null
 * @param pgid        the process group the agent leads, or null
 * @param cgroup      the run's own cgroup folder, or null when its processes are tracked without one
 */
public record PidFile(long pid, Instant startTime, String commandLine, String agentId, Long startTicks,
                      String bootId, Long pgid, String cgroup) {

    public PidFile(long pid, Instant startTime, String commandLine, String agentId, Long startTicks, String bootId, Long pgid) {
        this(pid, startTime, commandLine, agentId, startTicks, bootId, pgid, null);
    }

    /** A bare-integer PID file as other tools write it: only the PID is known. */
    public static PidFile bare(long pid, String agentId) {
        return new PidFile(pid, null, null, agentId, null, null, null, null);
    }

    public boolean bareInteger() {
        return startTime == null && commandLine == null;
    }
}
