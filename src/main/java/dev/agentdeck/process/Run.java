package dev.agentdeck.process;

import java.time.Instant;

/** One launch of an agent, from spawn to the end of its process tree. Touched only on its agent's serial executor. */
final class Run {
    final ChildProcess child;
    final long pid;
    final Instant startedAt = Instant.now();
    final long startNanos = System.nanoTime();
    final long errOffset;
    final String plannedCommandLine;
    boolean leadsGroup;
    long startTicks = -1;
    boolean verified;
    boolean stopRequested;
    boolean escalated;
    Integer exitCode;
    StopReport stopReport;

    Run(ChildProcess child, long errOffset, String plannedCommandLine) {
        this.child = child;
        this.pid = child.pid();
        this.leadsGroup = child.ownGroup();
        this.errOffset = errOffset;
        this.plannedCommandLine = plannedCommandLine;
    }

    long uptimeMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    StopTarget target(String agentId) {
        return new StopTarget(agentId, pid, startTicks, leadsGroup);
    }
}
