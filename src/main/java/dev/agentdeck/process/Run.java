package dev.agentdeck.process;

import dev.agentdeck.health.HealthChecker;
import dev.agentdeck.logs.LineMatcher;

import java.time.Instant;

/**
 * One launch of an agent, from spawn to the end of its process tree, with what watches it while it runs
 * (health checks, the ready-line matcher, resource limits). Touched only on its agent's serial executor.
 */
final class Run {
    final ChildProcess child;
    final long pid;
    final Instant startedAt;
    final long startNanos;
    /** Found running rather than started here: its exit code is unknown unless it is our child. */
    final boolean adopted;
    final long errOffset;
    final String plannedCommandLine;
    boolean leadsGroup;
    long startTicks = -1;
    boolean verified;
    boolean readyMatched;
    boolean stopRequested;
    boolean escalated;
    /** Why the engine (not the user) stopped this run, or null. */
    String internalStopReason;
    Integer exitCode;
    /** When the main process was seen to end, in start ticks (see {@link StopTarget#ended}); MAX_VALUE while it runs. */
    long endedTicks = Long.MAX_VALUE;
    StopReport stopReport;
    HealthChecker checker;
    LineMatcher readyMatcher;
    ResourceGuard guard;
    /** What owns every process of the run (its cgroup, or what the engine has seen of its tree). */
    RunUnit unit = new TrackedUnit();
    /** In daemon mode: this run is the launcher, whose exit hands the run over to the daemon it left. */
    boolean launcher;
    /** Its main process has ended and what it left behind is being stopped ({@code AgentSupervisor.endRun}). */
    boolean ending;
    /** In daemon mode, why the start failed (the launcher did not exit, or left no daemon); else null. */
    String daemonFailure;

    Run(ChildProcess child, long errOffset, String plannedCommandLine) {
        this(child, errOffset, plannedCommandLine, Instant.now(), false);
    }

    Run(ChildProcess child, long errOffset, String plannedCommandLine, Instant startedAt, boolean adopted) {
        this.startedAt = startedAt;
        this.startNanos = System.nanoTime() - Math.max(0, Instant.now().toEpochMilli() - startedAt.toEpochMilli()) * 1_000_000L;
        this.adopted = adopted;
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
        return new StopTarget(agentId, pid, startTicks, leadsGroup, unit, endedTicks);
    }

    /** Stops everything that watches this run. */
    void closeWatchers() {
        if (checker != null) {
            checker.stop();
        }
        if (readyMatcher != null) {
            readyMatcher.close();
        }
    }
}
