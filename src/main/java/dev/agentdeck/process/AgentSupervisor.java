package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.Origin;
import dev.agentdeck.core.Signal;
import dev.agentdeck.discovery.PidFile;
import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.metrics.MetricsSampler;
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
    private volatile AgentSpec spec;
    private volatile AgentStatus status;
    private volatile MetricsSampler.Target sampleTarget;
    /** The latest sample of the current run and the guard judging it: written by the sampler's thread. */
    private volatile dev.agentdeck.core.Usage latestUsage;
    private volatile ResourceGuard guard;
    Run run;
    private RestartPlanner restartPlanner;
    private ScheduledFuture<?> retryTimer;
    private final RunSupervision supervision;
    private final DaemonTakeover daemons = new DaemonTakeover(this);
    private final StatusWaiters waiters = new StatusWaiters();
    private final List<CompletableFuture<AgentStatus>> startWaiters = new ArrayList<>();
    private final List<CompletableFuture<AgentStatus>> stopWaiters = new ArrayList<>();
    private final List<Runnable> afterStop = new ArrayList<>();
    private CompletableFuture<Void> cleanup = CompletableFuture.completedFuture(null);
    /** Run cgroups of ended runs whose leftovers are being stopped (serial executor only). */
    private final java.util.Set<java.nio.file.Path> strayCgroups = new java.util.HashSet<>();

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

    /** What the sampler measures of a run: every member of its unit (read on the monitor's scans). */
    private MetricsSampler.Target sampleTargetOf(Run r) {
        StopTarget t = r.target(id());
        return new MetricsSampler.Target(id(), r.pid, r.startTicks, r.leadsGroup, snap -> t.members(snap, ctx.table).values());
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

    // ---- adoption -------------------------------------------------------------------------------------

    /** Takes over a process discovery found: supervised from now on as if it had been started here. */
    CompletableFuture<AgentStatus> adopt(dev.agentdeck.discovery.Discovery.Adopt found) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        serial.execute(() -> {
            if (status.state().hasProcess() || ctx.liveLeaders.contains(found.pid())) {
                f.complete(status);
                return;
            }
            cancelRetry();
            if (!ctx.takeSlot()) {
                f.completeExceptionally(new EngineException(ErrorCode.LIMIT, "cannot adopt agent \"" + id()
                        + "\": the limit of " + ctx.settings.maxAgents() + " running agents is reached"));
                return;
            }
            Run r = new Run(ctx.launcher.watch(found.pid(), found.leadsGroup()), AgentLogs.size(ctx.logs.err(id())),
                    found.commandLine(), found.startedAt(), true);
            r.startTicks = found.startTicks();
            r.verified = true;
            r.readyMatched = true;
            r.unit = ctx.units.unitOf(id(), r.pid);
            run = r;
            ctx.liveLeaders.add(r.pid);
            ctx.units.track(r.target(id()));
            try {
                ctx.pidFiles.write(new PidFile(r.pid, found.startedAt(), found.commandLine(), id(), found.startTicks(),
                        ctx.table.bootId(), r.leadsGroup ? r.pid : null, r.unit.cgroup() == null ? null : r.unit.cgroup().toString()));
            } catch (IOException e) {
                error("could not write the PID file: " + e.getMessage(), Map.of());
            }
            latestUsage = null;
            guard = new ResourceGuard(spec.resources());
            sampleTarget = sampleTargetOf(r);
            ctx.monitor.scanWithin(1000);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pid", r.pid);
            details.put("how", found.how());
            details.put("commandLine", found.commandLine());
            ctx.hub.publish(id(), EventType.ADOPTED, "adopted PID " + r.pid + " (found by " + found.how() + ")", details);
            publish(status.toBuilder().endOfRun().state(AgentState.RUNNING).origin(Origin.ADOPTED).pid(r.pid)
                    .startedAt(r.startedAt).ready(true).health(spec.healthCheck() != null ? Health.UNKNOWN : Health.HEALTHY)
                    .message("adopted: found by " + found.how()).removed(false).build());
            supervision.watchHealth(r, spec, plan(r));
            r.child.exit().whenComplete((code, t) -> serial.execute(() -> onExit(r, code == null ? -1 : code)));
            f.complete(status);
        });
        return f;
    }

    // ---- start ----------------------------------------------------------------------------------------

    void doStart(CompletableFuture<AgentStatus> f, Trigger trigger) {
        if (!cleanup.isDone()) {
            // the last run's main process ended and what it left is still being stopped: start once it is gone
            cleanup.whenComplete((v, t) -> serial.execute(() -> doStart(f, trigger)));
            return;
        }
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
            afterStop.add(() -> doStart(f, trigger));
            return;
        }
        if (state == AgentState.PAUSED) {
            f.completeExceptionally(conflict("agent \"" + id() + "\" is paused; resume it instead"));
            return;
        }
        cancelRetry();
        if (trigger != Trigger.AUTO) {
            restartPlanner.reset();
        }
        ctx.stats.spawnRequests.incrementAndGet();
        LaunchPlan plan;
        try {
            plan = ctx.planner.plan(spec);
        } catch (EngineException e) {
            refuse(f, e);
            return;
        }
        String portHolder = portHolder();
        if (portHolder != null) {
            ctx.hub.publish(id(), EventType.PORT_CONFLICT, "port " + spec.port() + " is held by " + portHolder,
                    Map.of("port", spec.port()));
            refuse(f, new EngineException(ErrorCode.CONFLICT, "cannot start agent \"" + id() + "\": port " + spec.port()
                    + " is held by " + portHolder));
            return;
        }
        if (!ctx.takeSlot()) {
            refuse(f, new EngineException(ErrorCode.LIMIT, "cannot start agent \"" + id() + "\": "
                    + ctx.processesRunning() + " agents are running, the limit (maxAgents in settings.json) is "
                    + ctx.settings.maxAgents()));
            return;
        }
        // The marker goes first, so the log reads in order: AgentDeck's line, then what the run writes.
        ctx.logs.marker(id(), "starting: " + plan.commandLine());
        long outOffset = AgentLogs.size(ctx.logs.out(id()));
        long errOffset = AgentLogs.size(ctx.logs.err(id()));
        RunUnit unit = ctx.units.newUnit(id());
        ChildProcess launched;
        try {
            launched = ctx.launcher.launch(plan, ctx.logs.out(id()), ctx.logs.err(id()), unit.cgroup());
        } catch (IOException e) {
            unit.release();
            ctx.releaseSlot();
            refuse(f, new EngineException(ErrorCode.FAILED, "cannot start agent \"" + id() + "\": " + e.getMessage()));
            return;
        }
        // the run starts when the process did (from its start ticks), so a later engine adopting it records the same run
        ProcInfo first = ctx.table.read(launched.pid()).orElse(null);
        Run r = first == null ? new Run(launched, errOffset, plan.commandLine())
                : new Run(launched, errOffset, plan.commandLine(), ctx.table.startInstant(first.startTicks()), false);
        if (first != null) {
            r.startTicks = first.startTicks();
        }
        r.unit = unit;
        r.launcher = spec.daemon() != null;
        run = r;
        ctx.liveLeaders.add(r.pid);
        ctx.units.track(r.target(id()));
        int restarts = trigger == Trigger.USER ? 0 : status.restarts() + 1;
        publish(status.toBuilder().endOfRun().state(AgentState.STARTING).origin(Origin.MANAGED).pid(r.pid)
                .startedAt(r.startedAt).restarts(restarts).message("starting").removed(false).build());
        if (ctx.rotator != null) {
            ctx.rotator.checkSoon();
        }
        supervision.watchReadiness(r, outOffset, errOffset);
        startWaiters.add(f);
        r.child.exit().whenComplete((code, t) -> serial.execute(() -> onExit(r, code == null ? -1 : code)));
        if (r.launcher) {
            daemons.expect(r);
        } else {
            ctx.timer.schedule(() -> serial.execute(() -> verify(r)), ctx.settings.startGraceMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Who holds the agent's port ("PID 4242: nginx"), or null when it is free or the agent has none. */
    private String portHolder() {
        return PortHolder.of(spec.port(), ctx.table, null).orElse(null);
    }

    private void refuse(CompletableFuture<AgentStatus> f, EngineException e) {
        ctx.stats.spawnFailures.incrementAndGet();
        publish(status.toBuilder().message("start refused: " + e.error().message()).build());
        error(e.error().message(), Map.of("details", e.error().details()));
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
                .filter(c -> c.equals(r.plannedCommandLine) || !(c.contains("setsid") || Launcher.enteringCgroup(c)))
                .orElse(r.plannedCommandLine);
        writePidFile(r, info, cmdline);
        ctx.units.track(r.target(id()));
        r.verified = true;
        latestUsage = null;
        guard = new ResourceGuard(spec.resources());
        sampleTarget = sampleTargetOf(r);
        ctx.monitor.scanWithin(1000); // so the children it forks at start are counted soon
        ctx.stats.spawnSuccesses.incrementAndGet();
        boolean ready = spec.readyLogLine() == null || r.readyMatched;
        boolean checked = spec.healthCheck() != null;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("commandLine", cmdline);
        ctx.hub.publish(id(), EventType.SPAWNED, "started as PID " + r.pid, details);
        publish(status.toBuilder().state(AgentState.RUNNING).ready(ready).health(checked ? Health.UNKNOWN : Health.HEALTHY)
                .message(ready ? "running" : "running; waiting for a line matching " + spec.readyLogLine()).build());
        supervision.watchHealth(r, spec, plan(r));
        completeAll(startWaiters, status, null);
    }

    /** Writes run/<id>.pid for the run's main process, so a later engine can find it (and its cgroup) again. */
    void writePidFile(Run r, ProcInfo info, String cmdline) {
        try {
            ctx.pidFiles.write(new PidFile(r.pid, ctx.table.startInstant(info.startTicks()), cmdline, id(),
                    info.startTicks(), ctx.table.bootId(), r.leadsGroup ? r.pid : null,
                    r.unit.cgroup() == null ? null : r.unit.cgroup().toString()));
        } catch (IOException e) {
            error("could not write the PID file: " + e.getMessage(), Map.of());
        }
    }

    LaunchPlan plan(Run r) {
        try {
            return ctx.planner.plan(spec);
        } catch (EngineException e) {
            return null; // the probe falls back to the engine's cwd and environment
        }
    }

    // ---- exit -----------------------------------------------------------------------------------------

    private void onExit(Run r, int code) {
        if (r.exitCode != null) {
            return;
        }
        r.exitCode = code;
        r.endedTicks = ctx.table.ticksNow();
        sampleTarget = null;
        guard = null;
        latestUsage = null;
        ctx.liveLeaders.remove(r.pid);
        if (r.launcher && code == 0 && !r.stopRequested) {
            daemons.lookFor(r); // the run goes on as its daemon: it keeps its slot, unit and watchers
            return;
        }
        r.closeWatchers();
        ctx.releaseSlot();
        removePidFile(r);
        if (r.stopRequested) {
            maybeFinishStop(r);
            return;
        }
        Instant at = Instant.now();
        long uptimeMs = r.uptimeMs();
        endRun(r, () -> handleExit(r, code, at, uptimeMs));
    }

    /**
     * The main process ended on its own: whatever else of the run still lives gets the agent's staged stop (its
     * signal, its timeout, then KILL) before {@code then} handles the exit, as systemd's control-group kill mode
     * does. A start asked for meanwhile waits until the run's unit is empty.
     */
    void endRun(Run r, Runnable then) {
        r.ending = true;
        java.util.function.Consumer<List<StopReport.Escaped>> found = left -> serial.execute(() -> {
            if (r == run && !r.stopRequested) {
                publish(status.toBuilder().state(AgentState.STOPPING).message("its main process ended; stopping what it "
                        + "left behind: " + StopMessages.describe(left)).build());
            }
        });
        CompletableFuture<StopReport> left = ctx.stopper.stopLeftovers(r.target(id()), spec.stop().signal(),
                spec.stop().timeoutSec() * 1000L, found);
        CompletableFuture<Void> done = new CompletableFuture<>();
        cleanup = done;
        left.whenComplete((report, t) -> serial.execute(() -> {
            StopReport rep = report != null ? report : new StopReport(true, 0, List.of(), 0);
            releaseUnit(r);
            if (rep.processes() > 0) {
                ctx.hub.publish(id(), EventType.LEFTOVER_KILLED, StopMessages.leftovers(rep), StopMessages.leftoverDetails(rep));
                reportSurvivors(rep);
            }
            if (r.stopRequested) {
                r.stopReport = rep; // a stop asked for while the leftovers went: the run ends stopped
                maybeFinishStop(r);
            } else {
                then.run();
            }
            done.complete(null);
        }));
    }

    /**
     * Stops what a run that ended while no engine watched it left behind ({@code target} names its unit, or its
     * start for identity matching), like any run's leftovers, with an event; nothing if the agent runs again.
     */
    void stopStray(StopTarget target, String why) {
        serial.execute(() -> {
            java.nio.file.Path dir = target.unit().cgroup();
            if (status.state().hasProcess() || (dir != null && !strayCgroups.add(dir))) {
                return; // running again, or this cgroup's leftovers are already being stopped
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            cleanup = CompletableFuture.allOf(cleanup, done);
            ctx.stopper.stopLeftovers(target, spec.stop().signal(), spec.stop().timeoutSec() * 1000L, null)
                    .whenComplete((rep, t) -> serial.execute(() -> {
                        target.unit().release();
                        if (dir != null) {
                            strayCgroups.remove(dir);
                        }
                        if (rep != null && rep.processes() > 0) {
                            ctx.hub.publish(id(), EventType.LEFTOVER_KILLED, StopMessages.leftovers(rep) + " (" + why + ")",
                                    StopMessages.leftoverDetails(rep));
                            reportSurvivors(rep);
                        }
                        done.complete(null);
                    }));
        });
    }

    /** A run cgroup of this agent found in the engine's folder: its leftovers, unless it is the live run's own. */
    void stopStrayUnlessOwn(CgroupUnit unit) {
        serial.execute(() -> {
            Run r = run;
            if (r != null && status.state().hasProcess() && unit.dir().equals(r.unit.cgroup())) {
                return;
            }
            if (!dev.agentdeck.os.CgroupV2.populated(unit.dir())) {
                unit.release();
                return;
            }
            stopStray(new StopTarget(id(), 0, -1, false, unit, Long.MAX_VALUE), "left in its cgroup by an earlier run");
        });
    }

    /** The run's processes are all gone: its unit is no longer watched, and an empty cgroup is removed. */
    private void releaseUnit(Run r) {
        ctx.units.untrack(id(), r.unit);
        r.unit.release();
    }

    /** In daemon mode, the launcher's run failed after it exited 0 (no daemon): it ends as a failed start. */
    void endLauncherRun(Run r) {
        r.closeWatchers();
        ctx.releaseSlot();
        removePidFile(r);
        Instant at = Instant.now();
        long uptimeMs = r.uptimeMs();
        endRun(r, () -> handleExit(r, r.exitCode, at, uptimeMs));
    }

    /** In daemon mode, the daemon took over the run ({@link DaemonTakeover}): it is RUNNING from now on. */
    void daemonRunning(Run d) {
        latestUsage = null;
        guard = new ResourceGuard(spec.resources());
        sampleTarget = sampleTargetOf(d);
        ctx.monitor.scanWithin(1000);
        ctx.stats.spawnSuccesses.incrementAndGet();
        boolean checked = spec.healthCheck() != null;
        publish(status.toBuilder().state(AgentState.RUNNING).pid(d.pid).ready(true)
                .health(checked ? Health.UNKNOWN : Health.HEALTHY).message("running as daemon PID " + d.pid).build());
        supervision.watchHealth(d, spec, plan(d));
        d.child.exit().whenComplete((code, t) -> serial.execute(() -> onExit(d, code == null ? -1 : code)));
        completeAll(startWaiters, status, null);
    }

    /** Handles an exit the user did not ask for, once nothing of the run is left: events, then the restart policy. */
    private void handleExit(Run r, int code, Instant now, long uptimeMs) {
        boolean unknown = r.adopted && code < 0;
        String tail = code == 0 || unknown ? "" : AgentLogs.tailSince(ctx.logs.err(id()), r.errOffset, 20);
        ExitInfo exit = r.daemonFailure != null ? new ExitInfo(null, null, now, uptimeMs, r.daemonFailure, tail)
                : unknown ? ExitInfo.unknown(now, uptimeMs, null)
                : ExitInfo.fromExitCode(code, now, uptimeMs, null, tail);
        ctx.logs.marker(id(), exit.reason() + " after " + seconds(uptimeMs));
        boolean clean = code == 0 && !unknown && r.daemonFailure == null;
        String what = (r.verified ? "" : "start failed: ") + exit.reason() + (tail.isEmpty() ? "" : ": " + lastLine(tail));
        if (!r.verified && !clean) {
            ctx.stats.spawnFailures.incrementAndGet();
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
        ctx.hub.publish(id(), clean || unknown ? EventType.EXITED : EventType.FAILED, what, details);
        decideAfterExit(r, exit, what, clean);
        if (!r.verified) {
            if (clean) {
                completeAll(startWaiters, status, null);
            } else {
                completeAll(startWaiters, null, new EngineException(ErrorCode.FAILED, "agent \"" + id()
                        + "\" failed to start: " + exit.reason(), tail.isEmpty() ? List.of() : List.of(tail.split("\n"))));
            }
        }
    }

    /** Applies the restart policy: stay EXITED/FAILED, wait in BACKOFF, or give up in FATAL. */
    private void decideAfterExit(Run r, ExitInfo exit, String what, boolean clean) {
        RestartPlanner.Decision d = restartPlanner.onExit(exit.at(), exit.uptimeMs(), exit);
        AgentStatus.Builder b = status.toBuilder().endOfRun().lastExit(exit);
        if (d instanceof RestartPlanner.Retry retry) {
            long delay = retry.delay().toMillis();
            Instant at = Instant.now().plusMillis(delay);
            String msg = what + "; restarting in " + seconds(delay)
                    + (retry.attempt() > 0 ? " (failed start " + retry.attempt() + " of " + spec.restart().burst()
                    + " in " + spec.restart().windowSec() + " s)" : "");
            ctx.hub.publish(id(), EventType.BACKOFF, msg, Map.of("delayMs", delay, "attempt", retry.attempt()));
            publish(b.state(AgentState.BACKOFF).nextRetryAt(at).message(msg).build());
            retryTimer = ctx.timer.schedule(() -> serial.execute(() -> retry(exit)), delay, TimeUnit.MILLISECONDS);
        } else if (d instanceof RestartPlanner.GiveUp giveUp) {
            ctx.hub.publish(id(), EventType.FATAL, giveUp.reason(), Map.of("lastExitCode", exit.code() == null ? -1 : exit.code()));
            publish(b.state(AgentState.FATAL).message(giveUp.reason()).build());
        } else {
            publish(b.state(clean || (exit.code() == null && r.daemonFailure == null) ? AgentState.EXITED : AgentState.FAILED).message(what).build());
        }
    }

    private void retry(ExitInfo after) {
        if (status.state() != AgentState.BACKOFF) {
            return;
        }
        retryTimer = null;
        ctx.hub.publish(id(), EventType.RESTARTED, "restarting after " + after.reason(), Map.of("restart", status.restarts() + 1));
        doStart(new CompletableFuture<>(), Trigger.AUTO);
    }

    private void cancelRetry() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    // ---- stop -----------------------------------------------------------------------------------------

    /** Stops the run; {@code reason} is set when the engine (not the user) stops it. */
    void doStop(CompletableFuture<AgentStatus> f, boolean force, String reason) {
        AgentState state = status.state();
        if (run != null && run.exitCode != null && (state.hasProcess() || state == AgentState.STOPPING)) {
            stopRemains(run, f, force, reason);
            return;
        }
        if (state == AgentState.STOPPING) {
            stopWaiters.add(f);
            if (force && !run.escalated) {
                run.escalated = true;
                ctx.stopper.forceNow(run.pid);
            }
            return;
        }
        if (!state.hasProcess()) {
            cancelRetry();
            if (state == AgentState.BACKOFF || state == AgentState.FATAL) {
                publish(status.toBuilder().state(AgentState.STOPPED).nextRetryAt(null).message("stopped by user").build());
            }
            f.complete(status);
            return;
        }
        Run r = run;
        r.stopRequested = true;
        r.escalated = force;
        r.internalStopReason = reason;
        r.closeWatchers();
        boolean paused = state == AgentState.PAUSED;
        stopWaiters.add(f);
        publish(status.toBuilder().state(AgentState.STOPPING)
                .message(force ? "killing" : "stopping (" + spec.stop().signal().sigName() + ")").build());
        completeAll(startWaiters, null, new EngineException(ErrorCode.CONFLICT,
                "agent \"" + id() + "\" was stopped while it was starting"));
        Signal signal = force ? Signal.KILL : spec.stop().signal();
        ctx.stopper.stop(r.target(id()), signal, spec.stop().timeoutSec() * 1000L, paused)
                .whenComplete((report, t) -> serial.execute(() -> {
                    r.stopReport = report != null ? report : new StopReport(true, 0, List.of(), 0);
                    maybeFinishStop(r);
                }));
    }

    /**
     * A stop asked for once the run's main process had already ended (its leftovers are being stopped, or its
     * daemon looked for): nothing is signalled by the main's PID; what is left of the run is stopped, and the run
     * ends STOPPED.
     */
    private void stopRemains(Run r, CompletableFuture<AgentStatus> f, boolean force, String reason) {
        stopWaiters.add(f);
        boolean first = !r.stopRequested;
        r.stopRequested = true;
        r.internalStopReason = r.internalStopReason != null ? r.internalStopReason : reason;
        completeAll(startWaiters, null, new EngineException(ErrorCode.CONFLICT,
                "agent \"" + id() + "\" was stopped while it was starting"));
        if (r.ending) {
            if (force && !r.escalated) {
                r.escalated = true;
                ctx.stopper.forceNow(r.pid);
            }
            return;
        }
        if (first) { // the daemon was still being looked for: the run's unit goes now
            r.escalated = force;
            r.closeWatchers();
            ctx.releaseSlot();
            removePidFile(r);
            publish(status.toBuilder().state(AgentState.STOPPING).message("stopping what the launcher left").build());
            endRun(r, () -> { });
        }
    }

    private void maybeFinishStop(Run r) {
        if (r != run || r.exitCode == null || r.stopReport == null) {
            return;
        }
        releaseUnit(r);
        StopReport report = r.stopReport;
        String by = r.internalStopReason != null ? "stopped by AgentDeck (" + r.internalStopReason + ")"
                : r.escalated ? "killed by user" : "stopped by user";
        String how = report.escalated() && !r.escalated ? by + " (KILL after " + spec.stop().timeoutSec() + " s timeout)" : by;
        ExitInfo exit = r.adopted && r.exitCode < 0 ? ExitInfo.unknown(Instant.now(), r.uptimeMs(), how)
                : ExitInfo.fromExitCode(r.exitCode, Instant.now(), r.uptimeMs(), how, "");
        ctx.logs.marker(id(), exit.reason() + " after " + seconds(r.uptimeMs()));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("exitCode", r.exitCode);
        details.put("escalated", report.escalated());
        details.put("processes", report.processes());
        details.put("stopMs", report.millis());
        String message = how;
        if (!report.escaped().isEmpty()) {
            details.put("escaped", StopMessages.escapedDetails(report));
            List<StopReport.Escaped> ended = report.escapedAndEnded();
            if (!ended.isEmpty()) {
                message = how + "; " + StopMessages.leftTree(ended);
            }
        }
        ctx.hub.publish(id(), EventType.STOPPED, message, details);
        publish(status.toBuilder().endOfRun().state(AgentState.STOPPED).lastExit(exit).message(message).build());
        reportSurvivors(report);
        completeAll(stopWaiters, status, null);
        List<Runnable> next = new ArrayList<>(afterStop);
        afterStop.clear();
        next.forEach(Runnable::run);
    }

    /** An error event when processes of the run survived KILL (uninterruptible sleep, or not ours to signal). */
    private void reportSurvivors(StopReport report) {
        if (report.survivors().isEmpty()) {
            return;
        }
        List<Long> escapedSurvivors = report.escaped().stream().map(StopReport.Escaped::pid)
                .filter(report.survivors()::contains).toList();
        error(report.survivors().size() + " process(es) survived KILL: " + report.survivors()
                        + (escapedSurvivors.isEmpty() ? "" : " (" + escapedSurvivors + " had left the tree)"),
                Map.of("survivors", report.survivors(), "escapedSurvivors", escapedSurvivors));
    }

    void removePidFile(Run r) {
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

    private static EngineException conflict(String message) {
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

    private static void completeAll(List<CompletableFuture<AgentStatus>> list, AgentStatus s, Throwable t) {
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

    private static String lastLine(String tail) {
        int nl = tail.lastIndexOf('\n');
        return nl < 0 ? tail : tail.substring(nl + 1);
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
