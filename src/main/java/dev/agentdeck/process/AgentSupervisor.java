package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Signal;
import dev.agentdeck.metrics.MetricsSampler;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The state machine of one agent. Every transition runs on the agent's own serial executor, so requests,
 * process exits, timers, probe results and samples never race; results go out as {@link AgentStatus}
 * snapshots and events. Supervision while it runs (health, readiness, limits) lives in {@link RunSupervision}.
 */
final class AgentSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);

    /** Who asked for a start: a person (resets the restart history) or the engine (a restart policy). */
    enum Trigger { USER, USER_RESTART, AUTO }

    final EngineContext ctx;
    final SerialExecutor serial;
    volatile AgentSpec spec;
    volatile AgentStatus status;
    volatile MetricsSampler.Target sampleTarget;
    /** The latest sample of the current run and the guard judging it: written by the sampler's thread. */
    volatile dev.agentdeck.core.Usage latestUsage;
    volatile ResourceGuard guard;
    Run run;
    RestartPlanner restartPlanner;
    ScheduledFuture<?> retryTimer;
    final RunSupervision supervision;
    final DaemonTakeover daemons = new DaemonTakeover(this);
    final RunStart starts = new RunStart(this);
    final RunExit exits = new RunExit(this);
    final RunStop stops = new RunStop(this);
    final StatusWaiters waiters = new StatusWaiters();
    final List<CompletableFuture<AgentStatus>> startWaiters = new ArrayList<>();
    final List<CompletableFuture<AgentStatus>> stopWaiters = new ArrayList<>();
    final List<Runnable> afterStop = new ArrayList<>();
    CompletableFuture<Void> cleanup = CompletableFuture.completedFuture(null);
    /** Run cgroups of ended runs whose leftovers are being stopped (serial executor only). */
    final java.util.Set<java.nio.file.Path> strayCgroups = new java.util.HashSet<>();

    AgentSupervisor(EngineContext ctx, AgentSpec spec) {
        this.ctx = ctx;
        this.serial = new SerialExecutor(ctx.workers);
        this.spec = spec;
        this.status = AgentStatus.initial(spec.id(), spec.name());
        this.restartPlanner = new RestartPlanner(spec.restart());
        this.supervision = new RunSupervision(this);
    }

    String id() {
        return spec.id();
    }

    AgentSpec spec() {
        return spec;
    }

    /** The latest snapshot, with the latest resource sample of a running agent. */
    AgentStatus status() {
        AgentStatus s = status;
        dev.agentdeck.core.Usage u = latestUsage;
        StatusView v = view;
        if (v != null && v.base == s && v.usage == u) {
            return v.status; // the same object until either changes, so readers can cache by identity
        }
        AgentStatus out = withUsage(s);
        view = new StatusView(s, u, out);
        return out;
    }

    /** The last snapshot handed out, with the status and usage it was made from. */
    private record StatusView(AgentStatus base, dev.agentdeck.core.Usage usage, AgentStatus status) {
    }

    private volatile StatusView view;

    private AgentStatus withUsage(AgentStatus s) {
        dev.agentdeck.core.Usage u = latestUsage;
        return u == null || !s.state().hasProcess() || u == s.usage() ? s : s.withUsage(u);
    }

    /**
     * Samples run {@code r} from now on, judged against the agent's limits: every member of its unit (read on the
     * monitor's scans).
     */
    void sample(Run r) {
        StopTarget t = r.target(id());
        latestUsage = null;
        guard = new ResourceGuard(spec.resources());
        sampleTarget = new MetricsSampler.Target(id(), r.pid, r.startTicks, r.leadsGroup, snap -> t.members(snap, ctx.table).values());
    }

    /** The run's main process ended: nothing is sampled until the next run. */
    void stopSampling() {
        sampleTarget = null;
        guard = null;
        latestUsage = null;
    }

    /** The running main process for the metrics sampler, or null. */
    MetricsSampler.Target sampleTarget() {
        return sampleTarget;
    }

    /**
     * A resource sample of the process tree of {@code pid}, on the sampler's thread: kept as the latest usage
     * and judged against the limits there; only a verdict goes to the state machine.
     */
    void onSample(long pid, dev.agentdeck.core.Usage usage) {
        MetricsSampler.Target t = sampleTarget;
        ResourceGuard g = guard;
        if (t == null || t.pid() != pid) {
            return;
        }
        latestUsage = usage;
        if (g != null) {
            ResourceGuard.Verdict v = g.onSample(usage, Instant.now());
            if (v != ResourceGuard.Verdict.NONE) {
                serial.execute(() -> supervision.onVerdict(pid, usage, g, v));
            }
        }
    }

    // ---- commands -------------------------------------------------------------------------------------

    CompletableFuture<AgentStatus> start() {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> doStart(f, Trigger.USER));
        return f;
    }

    CompletableFuture<AgentStatus> stop(boolean force) {
        ctx.stats.controlCommands.incrementAndGet();
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> doStop(f, force, null));
        return f;
    }

    CompletableFuture<AgentStatus> restart() {
        ctx.stats.controlCommands.incrementAndGet();
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> restartNow(f, null));
        return f;
    }

    /**
     * Stops and starts the agent because of {@code reason} (unhealthy, over its memory limit): counts as a
     * restart, but not as a start by hand.
     */
    void restartFor(String reason) {
        restartNow(new CompletableFuture<>(), reason);
    }

    private void restartNow(CompletableFuture<AgentStatus> f, String reason) {
        boolean wasRunning = status.state().hasProcess();
        if (wasRunning) {
            ctx.hub.publish(id(), EventType.RESTARTED, reason == null ? "restart requested" : "restarting: " + reason,
                    reason == null ? Map.of() : Map.of("reason", reason));
        }
        CompletableFuture<AgentStatus> stopped = new CompletableFuture<>();
        doStop(stopped, false, reason);
        Trigger trigger = reason != null ? Trigger.AUTO : wasRunning ? Trigger.USER_RESTART : Trigger.USER;
        stopped.whenComplete((s, t) -> serial.execute(() -> {
            if (t != null) {
                f.completeExceptionally(t);
            } else {
                doStart(f, trigger);
            }
        }));
    }

    CompletableFuture<AgentStatus> pause() {
        ctx.stats.controlCommands.incrementAndGet();
        return onSerial(f -> {
            if (status.state() != AgentState.RUNNING) {
                throw conflict("cannot pause agent \"" + id() + "\": it is " + status.state());
            }
            signalTree(Signal.STOP);
            if (run.checker != null) {
                run.checker.suspend();
            }
            ctx.hub.publish(id(), EventType.PAUSED, "paused (SIGSTOP to its process group)", Map.of("pid", run.pid));
            publish(status.toBuilder().state(AgentState.PAUSED).message("paused").build());
            f.complete(status);
        });
    }

    CompletableFuture<AgentStatus> resume() {
        ctx.stats.controlCommands.incrementAndGet();
        return onSerial(f -> {
            if (status.state() != AgentState.PAUSED) {
                throw conflict("cannot resume agent \"" + id() + "\": it is " + status.state() + ", not PAUSED");
            }
            signalTree(Signal.CONT);
            if (run.checker != null) {
                run.checker.resume();
            }
            ctx.hub.publish(id(), EventType.RESUMED, "resumed (SIGCONT to its process group)", Map.of("pid", run.pid));
            publish(status.toBuilder().state(AgentState.RUNNING).message("resumed").build());
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
                ctx.stats.controlCommands.incrementAndGet();
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
            if (next.equals(spec)) {
                return;
            }
            if (!next.restart().equals(spec.restart())) {
                restartPlanner = new RestartPlanner(next.restart());
            }
            spec = next;
            publish(status.toBuilder().name(next.name()).changed(status.state().hasProcess()).build());
        });
    }

    /** Marks the agent as removed from agents.json while its process still runs. */
    void markRemoved() {
        serial.execute(() -> publish(status.toBuilder().removed(true)
                .message("removed from agents.json; still running until stopped").build()));
    }

    /**
     * A future that completes when the status meets {@code met}, or fails when {@code hopeless} gives a reason
     * or at the timeout, with {@code what} it waited for.
     */
    CompletableFuture<AgentStatus> await(Predicate<AgentStatus> met, Function<AgentStatus, String> hopeless,
                                         long timeoutMs, String what) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> waiters.add(status, met, hopeless).whenComplete((s, t) -> {
            if (t != null) {
                f.completeExceptionally(t);
            } else {
                f.complete(s);
            }
        }));
        ScheduledFuture<?> timeout = ctx.timer.schedule(() -> f.completeExceptionally(new EngineException(ErrorCode.FAILED,
                "waited " + timeoutMs / 1000 + " s for " + what + "; it is " + describe(status))), timeoutMs, TimeUnit.MILLISECONDS);
        f.whenComplete((s, t) -> timeout.cancel(false));
        return f;
    }

    private static String describe(AgentStatus s) {
        return s.state() + (s.state() == AgentState.RUNNING ? ", health " + s.health() + (s.ready() ? "" : ", not ready") : "");
    }

    // ---- the parts of the state machine, by job (RunStart, RunExit, RunStop) ----------------------------

    CompletableFuture<AgentStatus> adopt(dev.agentdeck.discovery.Discovery.Adopt found) {
        return starts.adopt(found);
    }

    void doStart(CompletableFuture<AgentStatus> f, Trigger trigger) {
        starts.doStart(f, trigger);
    }

    void doStop(CompletableFuture<AgentStatus> f, boolean force, String reason) {
        stops.doStop(f, force, reason);
    }

    void stopStray(StopTarget target, String why) {
        exits.stopStray(target, why);
    }

    void stopStrayUnlessOwn(CgroupUnit unit) {
        exits.stopStrayUnlessOwn(unit);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Sends a signal to every process of the run now (pause/resume). */
    private void signalTree(Signal s) {
        Run r = run;
        if (r.leadsGroup) {
            Signals.sendGroup(r.pid, s);
        } else {
            Signals.send(r.pid, s);
        }
        // every member of the run's unit, not only the main process's descendants (a daemon that left the tree)
        for (ProcInfo d : r.target(id()).members(ctx.table.scan(), ctx.table).values()) {
            if (d.pid() != r.pid && (!r.leadsGroup || d.pgid() != r.pid)) {
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

    static EngineException conflict(String message) {
        return new EngineException(ErrorCode.CONFLICT, message);
    }

    void error(String message, Map<String, Object> details) {
        ctx.stats.errors.incrementAndGet();
        ctx.hub.publish(id(), EventType.ERROR, message, details);
    }

    /**
     * Publishes a new snapshot and lets waiters see it. Serial executor only. Rule: an event is published
     * before the status it leads to, so whoever sees a status and then drains the events sees its cause.
     */
    void publish(AgentStatus next) {
        AgentStatus merged = withUsage(next);
        status = merged;
        ctx.hub.publish(merged);
        waiters.check(merged);
    }

    static void completeAll(List<CompletableFuture<AgentStatus>> list, AgentStatus s, Throwable t) {
        List<CompletableFuture<AgentStatus>> copy = new ArrayList<>(list);
        list.clear();
        for (CompletableFuture<AgentStatus> w : copy) {
            if (t != null) {
                w.completeExceptionally(t);
            } else {
                w.complete(s);
            }
        }
    }

    static String lastLine(String tail) {
        int nl = tail.lastIndexOf('\n');
        return nl < 0 ? tail : tail.substring(nl + 1);
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
