package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.Health;
import dev.agentdeck.logs.AgentLogs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a run of one agent ends when its main process exits: what it left behind is stopped first
 * ({@link #endRun}), then the exit is handled by the restart policy (EXITED, FAILED, BACKOFF, FATAL); also the
 * leftovers of runs that ended while no engine watched them, and daemon mode's hand-over. Part of the agent's
 * state machine ({@link AgentSupervisor}); runs on its serial executor.
 */
final class RunExit {
    private final AgentSupervisor a;

    RunExit(AgentSupervisor a) {
        this.a = a;
    }

    void onExit(Run r, int code) {
        if (r.exitCode != null) {
            return;
        }
        r.exitCode = code;
        r.endedTicks = a.ctx.table.ticksNow();
        a.stopSampling();
        a.ctx.liveLeaders.remove(r.pid);
        if (r.launcher && code == 0 && !r.stopRequested) {
            a.daemons.lookFor(r); // the a.run goes on as its daemon: it keeps its slot, unit and watchers
            return;
        }
        r.closeWatchers();
        a.ctx.releaseSlot();
        a.stops.removePidFile(r);
        if (r.stopRequested) {
            a.stops.maybeFinishStop(r);
            return;
        }
        Instant at = Instant.now();
        long uptimeMs = r.uptimeMs();
        endRun(r, () -> handleExit(r, code, at, uptimeMs));
    }

    /**
     * The main process ended on its own: whatever else of the a.run still lives gets the agent's staged stop (its
     * signal, its timeout, then KILL) before {@code then} handles the exit, as systemd's control-group kill mode
     * does. A start asked for meanwhile waits until the a.run's unit is empty.
     */
    void endRun(Run r, Runnable then) {
        r.ending = true;
        java.util.function.Consumer<List<StopReport.Escaped>> found = left -> a.serial.execute(() -> {
            if (r == a.run && !r.stopRequested) {
                a.publish(a.status.toBuilder().state(AgentState.STOPPING).message("its main process ended; stopping what it "
                        + "left behind: " + StopMessages.describe(left)).build());
            }
        });
        CompletableFuture<StopReport> left = a.ctx.stopper.stopLeftovers(r.target(a.id()), a.spec.stop().signal(),
                a.spec.stop().timeoutSec() * 1000L, found);
        CompletableFuture<Void> done = new CompletableFuture<>();
        a.cleanup = done;
        left.whenComplete((report, t) -> a.serial.execute(() -> {
            StopReport rep = report != null ? report : new StopReport(true, 0, List.of(), 0);
            releaseUnit(r);
            if (rep.processes() > 0) {
                a.ctx.hub.publish(a.id(), EventType.LEFTOVER_KILLED, StopMessages.leftovers(rep), StopMessages.leftoverDetails(rep));
                a.stops.reportSurvivors(rep);
            }
            if (r.stopRequested) {
                r.stopReport = rep; // a stop asked for while the leftovers went: the a.run ends stopped
                a.stops.maybeFinishStop(r);
            } else {
                then.run();
            }
            done.complete(null);
        }));
    }

    /**
     * Stops what a a.run that ended while no engine watched it left behind ({@code target} names its unit, or its
     * start for identity matching), like any a.run's leftovers, with an event; nothing if the agent runs again.
     */
    void stopStray(StopTarget target, String why) {
        a.serial.execute(() -> {
            java.nio.file.Path dir = target.unit().cgroup();
            if (a.status.state().hasProcess() || (dir != null && !a.strayCgroups.add(dir))) {
                return; // running again, or this cgroup's leftovers are already being stopped
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            a.cleanup = CompletableFuture.allOf(a.cleanup, done);
            a.ctx.stopper.stopLeftovers(target, a.spec.stop().signal(), a.spec.stop().timeoutSec() * 1000L, null)
                    .whenComplete((rep, t) -> a.serial.execute(() -> {
                        target.unit().release();
                        if (dir != null) {
                            a.strayCgroups.remove(dir);
                        }
                        if (rep != null && rep.processes() > 0) {
                            a.ctx.hub.publish(a.id(), EventType.LEFTOVER_KILLED, StopMessages.leftovers(rep) + " (" + why + ")",
                                    StopMessages.leftoverDetails(rep));
                            a.stops.reportSurvivors(rep);
                        }
                        done.complete(null);
                    }));
        });
    }

    /** A a.run cgroup of this agent found in the engine's folder: its leftovers, unless it is the live a.run's own. */
    void stopStrayUnlessOwn(CgroupUnit unit) {
        a.serial.execute(() -> {
            Run r = a.run;
            if (r != null && a.status.state().hasProcess() && unit.dir().equals(r.unit.cgroup())) {
                return;
            }
            if (!dev.agentdeck.os.CgroupV2.populated(unit.dir())) {
                unit.release();
                return;
            }
            stopStray(new StopTarget(a.id(), 0, -1, false, unit, Long.MAX_VALUE), "left in its cgroup by an earlier a.run");
        });
    }

    /** The a.run's processes are all gone: its unit is no longer watched, and an empty cgroup is removed. */
    void releaseUnit(Run r) {
        a.ctx.units.untrack(a.id(), r.unit);
        r.unit.release();
    }

    /** In daemon mode, the launcher's a.run failed after it exited 0 (no daemon): it ends as a failed start. */
    void endLauncherRun(Run r) {
        r.closeWatchers();
        a.ctx.releaseSlot();
        a.stops.removePidFile(r);
        Instant at = Instant.now();
        long uptimeMs = r.uptimeMs();
        endRun(r, () -> handleExit(r, r.exitCode, at, uptimeMs));
    }

    /** In daemon mode, the daemon took over the run ({@link DaemonTakeover}): it is RUNNING from now on. */
    void daemonRunning(Run d) {
        a.sample(d);
        a.ctx.monitor.scanWithin(1000);
        a.ctx.stats.spawnSuccesses.incrementAndGet();
        boolean checked = a.spec.healthCheck() != null;
        a.publish(a.status.toBuilder().state(AgentState.RUNNING).pid(d.pid).ready(true)
                .health(checked ? Health.UNKNOWN : Health.HEALTHY).message("running as daemon PID " + d.pid).build());
        a.supervision.watchHealth(d, a.spec, a.starts.plan(d));
        d.child.exit().whenComplete((code, t) -> a.serial.execute(() -> onExit(d, code == null ? -1 : code)));
        a.completeAll(a.startWaiters, a.status, null);
    }

    /** Handles an exit the user did not ask for, once nothing of the a.run is left: events, then the restart policy. */
    private void handleExit(Run r, int code, Instant now, long uptimeMs) {
        boolean unknown = r.adopted && code < 0;
        String tail = code == 0 || unknown ? "" : AgentLogs.tailSince(a.ctx.logs.err(a.id()), r.errOffset, 20);
        ExitInfo exit = r.daemonFailure != null ? new ExitInfo(null, null, now, uptimeMs, r.daemonFailure, tail)
                : unknown ? ExitInfo.unknown(now, uptimeMs, null)
                : ExitInfo.fromExitCode(code, now, uptimeMs, null, tail);
        a.ctx.logs.marker(a.id(), exit.reason() + " after " + a.seconds(uptimeMs));
        boolean clean = code == 0 && !unknown && r.daemonFailure == null;
        String what = (r.verified ? "" : "start failed: ") + exit.reason() + (tail.isEmpty() ? "" : ": " + a.lastLine(tail));
        if (!r.verified && !clean) {
            a.ctx.stats.spawnFailures.incrementAndGet();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("exitCode", unknown ? null : code);
        if (exit.signal() != null) {
            details.put("signal", exit.signal());
        }
        details.put("uptimeMs", exit.uptimeMs());
        if (!tail.isEmpty()) {
            details.put("stderrTail", tail);
        }
        a.ctx.hub.publish(a.id(), clean || unknown ? EventType.EXITED : EventType.FAILED, what, details);
        decideAfterExit(r, exit, what, clean);
        if (!r.verified) {
            if (clean) {
                a.completeAll(a.startWaiters, a.status, null);
            } else {
                a.completeAll(a.startWaiters, null, new EngineException(ErrorCode.FAILED, "agent \"" + a.id()
                        + "\" failed to start: " + exit.reason(), tail.isEmpty() ? List.of() : List.of(tail.split("\n"))));
            }
        }
    }

    /** Applies the restart policy: stay EXITED/FAILED, wait in BACKOFF, or give up in FATAL. */
    private void decideAfterExit(Run r, ExitInfo exit, String what, boolean clean) {
        RestartPlanner.Decision d = a.restartPlanner.onExit(exit.at(), exit.uptimeMs(), exit);
        AgentStatus.Builder b = a.status.toBuilder().endOfRun().lastExit(exit);
        if (d instanceof RestartPlanner.Retry retry) {
            long delay = retry.delay().toMillis();
            Instant at = Instant.now().plusMillis(delay);
            String msg = what + "; restarting in " + a.seconds(delay)
                    + (retry.attempt() > 0 ? " (failed start " + retry.attempt() + " of " + a.spec.restart().burst()
                    + " in " + a.spec.restart().windowSec() + " s)" : "");
            a.ctx.hub.publish(a.id(), EventType.BACKOFF, msg, Map.of("delayMs", delay, "attempt", retry.attempt()));
            a.publish(b.state(AgentState.BACKOFF).nextRetryAt(at).message(msg).build());
            a.retryTimer = a.ctx.timer.schedule(() -> a.serial.execute(() -> retry(exit)), delay, TimeUnit.MILLISECONDS);
        } else if (d instanceof RestartPlanner.GiveUp giveUp) {
            a.ctx.hub.publish(a.id(), EventType.FATAL, giveUp.reason(), Map.of("lastExitCode", exit.code() == null ? -1 : exit.code()));
            a.publish(b.state(AgentState.FATAL).message(giveUp.reason()).build());
        } else {
            a.publish(b.state(clean || (exit.code() == null && r.daemonFailure == null) ? AgentState.EXITED : AgentState.FAILED).message(what).build());
        }
    }

    private void retry(ExitInfo after) {
        if (a.status.state() != AgentState.BACKOFF) {
            return;
        }
        a.retryTimer = null;
        a.ctx.hub.publish(a.id(), EventType.RESTARTED, "restarting after " + after.reason(), Map.of("restart", a.status.restarts() + 1));
        a.doStart(new CompletableFuture<>(), AgentSupervisor.Trigger.AUTO);
    }

    void cancelRetry() {
        if (a.retryTimer != null) {
            a.retryTimer.cancel(false);
            a.retryTimer = null;
        }
    }
}
