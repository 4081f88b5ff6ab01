package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.Signal;
import dev.agentdeck.discovery.PidFile;
import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The state machine of one agent. Every transition runs on the agent's own serial executor, so requests,
 * process exits and timers never race; results go out as {@link AgentStatus} snapshots and events.
 */
final class AgentSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    private final EngineContext ctx;
    private final SerialExecutor serial;
    private volatile AgentSpec spec;
    private volatile AgentStatus status;
    private Run run;
    private final List<CompletableFuture<AgentStatus>> startWaiters = new ArrayList<>();
    private final List<CompletableFuture<AgentStatus>> stopWaiters = new ArrayList<>();
    private final List<Runnable> afterStop = new ArrayList<>();
    private CompletableFuture<Void> cleanup = CompletableFuture.completedFuture(null);

    AgentSupervisor(EngineContext ctx, AgentSpec spec) {
        this.ctx = ctx;
        this.serial = new SerialExecutor(ctx.workers);
        this.spec = spec;
        this.status = AgentStatus.initial(spec.id(), spec.name());
    }

    String id() {
        return spec.id();
    }

    AgentSpec spec() {
        return spec;
    }

    AgentStatus status() {
        return status;
    }

    // ---- commands -------------------------------------------------------------------------------------

    CompletableFuture<AgentStatus> start() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> doStart(f, false));
        return f;
    }

    CompletableFuture<AgentStatus> stop(boolean force) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> doStop(f, force));
        return f;
    }

    CompletableFuture<AgentStatus> restart() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> {
            boolean wasRunning = status.state().hasProcess();
            if (wasRunning) {
                ctx.hub.publish(id(), EventType.RESTARTED, "restart requested", Map.of());
            }
            CompletableFuture<AgentStatus> stopped = new CompletableFuture<>();
            doStop(stopped, false);
            stopped.whenComplete((s, t) -> serial.execute(() -> {
                if (t != null) {
                    f.completeExceptionally(t);
                } else {
                    doStart(f, wasRunning);
                }
            }));
        });
        return f;
    }

    CompletableFuture<AgentStatus> pause() {
        return onSerial(f -> {
            if (status.state() != AgentState.RUNNING) {
                throw conflict("cannot pause agent \"" + id() + "\": it is " + status.state());
            }
            signalTree(Signal.STOP);
            publish(status(AgentState.PAUSED, "paused"));
            ctx.hub.publish(id(), EventType.PAUSED, "paused (SIGSTOP to its process group)", Map.of("pid", run.pid));
            f.complete(status);
        });
    }

    CompletableFuture<AgentStatus> resume() {
        return onSerial(f -> {
            if (status.state() != AgentState.PAUSED) {
                throw conflict("cannot resume agent \"" + id() + "\": it is " + status.state() + ", not PAUSED");
            }
            signalTree(Signal.CONT);
            publish(status(AgentState.RUNNING, "resumed"));
            ctx.hub.publish(id(), EventType.RESUMED, "resumed (SIGCONT to its process group)", Map.of("pid", run.pid));
            f.complete(status);
        });
    }

    /** Sends a signal to the agent's main process. STOP, CONT and KILL go through pause, resume and kill. */
    CompletableFuture<AgentStatus> signal(Signal signal) {
        switch (signal) {
            case STOP:
                return pause();
            case CONT:
                return resume();
            case KILL:
                return stop(true);
            default:
                return onSerial(f -> {
                    if (run == null || !status.state().hasProcess()) {
                        throw conflict("cannot send " + signal.sigName() + " to agent \"" + id() + "\": it is not running");
                    }
                    Signals.send(run.pid, signal);
                    ctx.hub.publish(id(), EventType.SIGNAL_SENT, "sent " + signal.sigName() + " to PID " + run.pid,
                            Map.of("pid", run.pid, "signal", signal.name()));
                    f.complete(status);
                });
        }
    }

    /** Takes a new spec; a running agent keeps its process and is marked as changed until restarted. */
    void updateSpec(AgentSpec next) {
        serial.execute(() -> {
            boolean differs = !next.equals(spec);
            spec = next;
            if (differs) {
                boolean changed = status.state().hasProcess();
                publish(new AgentStatus(next.id(), next.name(), status.state(), status.health(), status.origin(),
                        status.pid(), status.startedAt(), status.lastExit(), status.restarts(), status.message(),
                        status.nextRetryAt(), status.usage(), status.warnings(), changed, Instant.now()));
            }
        });
    }

    // ---- start ----------------------------------------------------------------------------------------

    private void doStart(CompletableFuture<AgentStatus> f, boolean isRestart) {
        AgentState state = status.state();
        if (state == AgentState.STARTING) {
            startWaiters.add(f);
            return;
        }
        if (state == AgentState.RUNNING) {
            f.complete(status);
            return;
        }
        if (state == AgentState.STOPPING) {
            afterStop.add(() -> doStart(f, isRestart));
            return;
        }
        if (state == AgentState.PAUSED) {
            f.completeExceptionally(conflict("agent \"" + id() + "\" is paused; resume it instead"));
            return;
        }
        if (!cleanup.isDone()) {
            // leftovers of the previous run are still being stopped; start once they are gone
            cleanup.whenComplete((v, t) -> serial.execute(() -> doStart(f, isRestart)));
            return;
        }
        LaunchPlan plan;
        try {
            plan = ctx.planner.plan(spec);
        } catch (EngineException e) {
            refuse(f, e);
            return;
        }
        if (!ctx.takeSlot()) {
            refuse(f, new EngineException(ErrorCode.LIMIT, "cannot start agent \"" + id() + "\": "
                    + ctx.processesRunning() + " agents are running, the limit (maxAgents in settings.json) is "
                    + ctx.settings.maxAgents()));
            return;
        }
        ChildProcess launched;
        long errOffset = AgentLogs.size(ctx.logs.err(id()));
        try {
            launched = ctx.launcher.launch(plan, ctx.logs.out(id()), ctx.logs.err(id()));
        } catch (IOException e) {
            ctx.releaseSlot();
            refuse(f, new EngineException(ErrorCode.FAILED, "cannot start agent \"" + id() + "\": " + e.getMessage()));
            return;
        }
        Run r = new Run(launched, errOffset, plan.commandLine());
        ctx.table.read(r.pid).ifPresent(i -> r.startTicks = i.startTicks());
        run = r;
        ctx.liveLeaders.add(r.pid);
        int restarts = isRestart ? status.restarts() + 1 : 0;
        publish(new AgentStatus(id(), spec.name(), AgentState.STARTING, Health.UNKNOWN, dev.agentdeck.core.Origin.MANAGED,
                r.pid, r.startedAt, status.lastExit(), restarts, "starting", null, null, List.of(), false, Instant.now()));
        ctx.logs.marker(id(), "started pid " + r.pid + ": " + plan.commandLine());
        startWaiters.add(f);
        r.child.exit().whenComplete((code, t) -> serial.execute(() -> onExit(r, code == null ? -1 : code)));
        ctx.timer.schedule(() -> serial.execute(() -> verify(r)), ctx.settings.startGraceMs(), TimeUnit.MILLISECONDS);
    }

    private void refuse(CompletableFuture<AgentStatus> f, EngineException e) {
        publish(status(status.state(), "start refused: " + e.error().message()));
        ctx.hub.publish(id(), EventType.ERROR, e.error().message(), Map.of("details", e.error().details()));
        f.completeExceptionally(e);
    }

    /** The grace period passed: if the process is still alive, the start counts. */
    private void verify(Run r) {
        if (r != run || r.exitCode != null || r.stopRequested) {
            return;
        }
        ProcInfo info = ctx.table.read(r.pid).orElse(null);
        if (info == null || info.zombie()) {
            return; // its exit is on the way
        }
        r.startTicks = info.startTicks();
        if (r.leadsGroup && info.pgid() != r.pid) {
            LOG.warn("agent {}: PID {} does not lead its process group ({}); stopping it by its tree", id(), r.pid, info.pgid());
            r.leadsGroup = false;
        }
        String cmdline = ctx.table.commandLine(r.pid).map(a -> String.join(" ", a))
                .filter(c -> c.equals(r.plannedCommandLine) || !c.contains("setsid")).orElse(r.plannedCommandLine);
        try {
            ctx.pidFiles.write(new PidFile(r.pid, ctx.table.startInstant(info.startTicks()), cmdline, id(),
                    info.startTicks(), ctx.table.bootId(), r.leadsGroup ? r.pid : null));
        } catch (IOException e) {
            ctx.hub.publish(id(), EventType.ERROR, "could not write the PID file: " + e.getMessage(), Map.of());
        }
        r.verified = true;
        publish(status(AgentState.RUNNING, "running"));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("commandLine", cmdline);
        ctx.hub.publish(id(), EventType.SPAWNED, "started as PID " + r.pid, details);
        completeAll(startWaiters, status, null);
    }

    // ---- exit -----------------------------------------------------------------------------------------

    private void onExit(Run r, int code) {
        if (r.exitCode != null) {
            return;
        }
        r.exitCode = code;
        ctx.releaseSlot();
        ctx.liveLeaders.remove(r.pid);
        removePidFile(r);
        if (r.stopRequested) {
            maybeFinishStop(r);
            return;
        }
        String tail = code == 0 ? "" : AgentLogs.tailSince(ctx.logs.err(id()), r.errOffset, 20);
        ExitInfo exit = ExitInfo.fromExitCode(code, Instant.now(), r.uptimeMs(), null, tail);
        ctx.logs.marker(id(), exit.reason() + " after " + seconds(r.uptimeMs()));
        boolean clean = code == 0;
        String message = (r.verified ? "" : "start failed: ") + exit.reason()
                + (tail.isEmpty() ? "" : ": " + lastLine(tail));
        publish(exited(clean ? AgentState.EXITED : AgentState.FAILED, exit, message));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("exitCode", code);
        if (exit.signal() != null) {
            details.put("signal", exit.signal());
        }
        details.put("uptimeMs", exit.uptimeMs());
        if (!tail.isEmpty()) {
            details.put("stderrTail", tail);
        }
        ctx.hub.publish(id(), clean ? EventType.EXITED : EventType.FAILED, message, details);
        if (!r.verified) {
            if (clean) {
                completeAll(startWaiters, status, null);
            } else {
                completeAll(startWaiters, null, new EngineException(ErrorCode.FAILED,
                        "agent \"" + id() + "\" failed to start: " + exit.reason(), tail.isEmpty() ? List.of() : List.of(tail.split("\n"))));
            }
        }
        cleanupLeftovers(r);
    }

    /** The main process ended on its own: whatever it left in its process group goes too. */
    private void cleanupLeftovers(Run r) {
        if (!r.leadsGroup || !Signals.groupExists(r.pid)) {
            return;
        }
        List<Long> left = ctx.table.scan().groupMembers(r.pid).stream().filter(p -> !p.zombie()).map(ProcInfo::pid).toList();
        if (left.isEmpty()) {
            return;
        }
        cleanup = ctx.stopper.stop(r.target(id()), spec.stop().signal(), spec.stop().timeoutSec() * 1000L, false)
                .thenAccept(report -> ctx.hub.publish(id(), EventType.LEFTOVER_KILLED, "stopped " + left.size()
                        + " process(es) the agent left behind: " + left, Map.of("pids", left)));
    }

    // ---- stop -----------------------------------------------------------------------------------------

    private void doStop(CompletableFuture<AgentStatus> f, boolean force) {
        AgentState state = status.state();
        if (state == AgentState.STOPPING) {
            stopWaiters.add(f);
            if (force && !run.escalated) {
                run.escalated = true;
                ctx.stopper.forceNow(run.pid);
            }
            return;
        }
        if (!state.hasProcess()) {
            if (state == AgentState.BACKOFF || state == AgentState.FATAL) {
                publish(status(AgentState.STOPPED, "stopped by user"));
            }
            f.complete(status);
            return;
        }
        Run r = run;
        r.stopRequested = true;
        r.escalated = force;
        boolean paused = state == AgentState.PAUSED;
        stopWaiters.add(f);
        publish(status(AgentState.STOPPING, force ? "killing" : "stopping (" + spec.stop().signal().sigName() + ")"));
        completeAll(startWaiters, null, new EngineException(ErrorCode.CONFLICT,
                "agent \"" + id() + "\" was stopped while it was starting"));
        Signal signal = force ? Signal.KILL : spec.stop().signal();
        ctx.stopper.stop(r.target(id()), signal, spec.stop().timeoutSec() * 1000L, paused)
                .whenComplete((report, t) -> serial.execute(() -> {
                    r.stopReport = report != null ? report : new StopReport(true, 0, List.of(), 0);
                    maybeFinishStop(r);
                }));
    }

    private void maybeFinishStop(Run r) {
        if (r != run || r.exitCode == null || r.stopReport == null) {
            return;
        }
        StopReport report = r.stopReport;
        String how = report.escalated() ? (r.escalated ? "killed by user" : "stopped by user (KILL after "
                + spec.stop().timeoutSec() + " s timeout)") : "stopped by user";
        ExitInfo exit = ExitInfo.fromExitCode(r.exitCode, Instant.now(), r.uptimeMs(), how, "");
        ctx.logs.marker(id(), exit.reason() + " after " + seconds(r.uptimeMs()));
        publish(exited(AgentState.STOPPED, exit, how));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("exitCode", r.exitCode);
        details.put("escalated", report.escalated());
        details.put("processes", report.processes());
        details.put("stopMs", report.millis());
        ctx.hub.publish(id(), EventType.STOPPED, how, details);
        if (!report.survivors().isEmpty()) {
            ctx.hub.publish(id(), EventType.ERROR, report.survivors().size() + " process(es) survived KILL: "
                    + report.survivors(), Map.of("survivors", report.survivors()));
        }
        completeAll(stopWaiters, status, null);
        List<Runnable> next = new ArrayList<>(afterStop);
        afterStop.clear();
        next.forEach(Runnable::run);
    }

    private void removePidFile(Run r) {
        try {
            var current = ctx.pidFiles.read(id());
            if (current.isPresent() && current.get().pid() == r.pid) {
                ctx.pidFiles.remove(id());
            }
        } catch (IOException e) {
            LOG.warn("agent {}: PID file: {}", id(), e.getMessage());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Sends a signal to the agent's whole tree now (pause/resume). */
    private void signalTree(Signal s) {
        Run r = run;
        if (r.leadsGroup) {
            Signals.sendGroup(r.pid, s);
        } else {
            Signals.send(r.pid, s);
        }
        for (ProcInfo d : ctx.table.scan().descendantsOf(r.pid)) {
            if (!r.leadsGroup || d.pgid() != r.pid) {
                try {
                    Signals.send(d.pid(), s);
                } catch (SecurityException e) {
                    LOG.warn("agent {}: {}", id(), e.getMessage());
                }
            }
        }
    }

    private interface SerialAction {
        void run(CompletableFuture<AgentStatus> f);
    }

    private CompletableFuture<AgentStatus> onSerial(SerialAction action) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                action.run(f);
            } catch (EngineException e) {
                f.completeExceptionally(e);
            } catch (RuntimeException e) {
                f.completeExceptionally(new EngineException(ErrorCode.FAILED, "agent \"" + id() + "\": " + e.getMessage()));
            }
        });
        return f;
    }

    private static EngineException conflict(String message) {
        return new EngineException(ErrorCode.CONFLICT, message);
    }

    private AgentStatus status(AgentState state, String message) {
        AgentStatus s = status;
        return new AgentStatus(s.id(), spec.name(), state, s.health(), s.origin(), s.pid(), s.startedAt(), s.lastExit(),
                s.restarts(), message, s.nextRetryAt(), s.usage(), s.warnings(), s.changed(), Instant.now());
    }

    private AgentStatus exited(AgentState state, ExitInfo exit, String message) {
        AgentStatus s = status;
        return new AgentStatus(s.id(), spec.name(), state, Health.UNKNOWN, s.origin(), null, null, exit, s.restarts(),
                message, null, null, List.of(), false, Instant.now());
    }

    private void publish(AgentStatus next) {
        status = next;
        ctx.hub.publish(next);
    }

    private static void completeAll(List<CompletableFuture<AgentStatus>> waiters, AgentStatus s, Throwable t) {
        List<CompletableFuture<AgentStatus>> copy = new ArrayList<>(waiters);
        waiters.clear();
        for (CompletableFuture<AgentStatus> w : copy) {
            if (t != null) {
                w.completeExceptionally(t);
            } else {
                w.complete(s);
            }
        }
    }

    private static String lastLine(String tail) {
        int nl = tail.lastIndexOf('\n');
        return nl < 0 ? tail : tail.substring(nl + 1);
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
