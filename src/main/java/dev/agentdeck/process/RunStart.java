package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.Origin;
import dev.agentdeck.discovery.PidFile;
import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.os.ProcInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starting a run of one agent, and adopting one found running: the launch, the start's verification after the grace
 * period, the PID file. Part of the agent's state machine ({@link AgentSupervisor}); runs on its serial executor.
 */
final class RunStart {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunStart.class);
    private final AgentSupervisor a;

    RunStart(AgentSupervisor a) {
        this.a = a;
    }

    /** Takes over a process discovery found: supervised from now on as if it had been started here. */
    CompletableFuture<AgentStatus> adopt(dev.agentdeck.discovery.Discovery.Adopt found) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        a.serial.execute(() -> {
            if (a.status.state().hasProcess() || a.ctx.liveLeaders.contains(found.pid())) {
                f.complete(a.status);
                return;
            }
            a.exits.cancelRetry();
            if (!a.ctx.takeSlot()) {
                f.completeExceptionally(new EngineException(ErrorCode.LIMIT, "cannot adopt agent \"" + a.id()
                        + "\": the limit of " + a.ctx.settings.maxAgents() + " running agents is reached"));
                return;
            }
            Run r = new Run(a.ctx.launcher.watch(found.pid(), found.leadsGroup()), AgentLogs.size(a.ctx.logs.err(a.id())),
                    found.commandLine(), found.startedAt(), true);
            r.startTicks = found.startTicks();
            r.verified = true;
            r.readyMatched = true;
            r.unit = a.ctx.units.unitOf(a.id(), r.pid);
            a.run = r;
            a.ctx.liveLeaders.add(r.pid);
            a.ctx.units.track(r.target(a.id()));
            try {
                a.ctx.pidFiles.write(new PidFile(r.pid, found.startedAt(), found.commandLine(), a.id(), found.startTicks(),
                        a.ctx.table.bootId(), r.leadsGroup ? r.pid : null, r.unit.cgroup() == null ? null : r.unit.cgroup().toString()));
            } catch (IOException e) {
                a.error("could not write the PID file: " + e.getMessage(), Map.of());
            }
            a.sample(r);
            a.ctx.monitor.scanWithin(1000);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pid", r.pid);
            details.put("how", found.how());
            details.put("commandLine", found.commandLine());
            a.ctx.hub.publish(a.id(), EventType.ADOPTED, "adopted PID " + r.pid + " (found by " + found.how() + ")", details);
            a.publish(a.status.toBuilder().endOfRun().state(AgentState.RUNNING).origin(Origin.ADOPTED).pid(r.pid)
                    .startedAt(r.startedAt).ready(true).health(a.spec.healthCheck() != null ? Health.UNKNOWN : Health.HEALTHY)
                    .message("adopted: found by " + found.how()).removed(false).build());
            a.supervision.watchHealth(r, a.spec, plan(r));
            r.child.exit().whenComplete((code, t) -> a.serial.execute(() -> a.exits.onExit(r, code == null ? -1 : code)));
            f.complete(a.status);
        });
        return f;
    }

    void doStart(CompletableFuture<AgentStatus> f, AgentSupervisor.Trigger trigger) {
        if (!a.cleanup.isDone()) {
            // the last a.run's main process ended and what it left is still being stopped: start once it is gone
            a.cleanup.whenComplete((v, t) -> a.serial.execute(() -> doStart(f, trigger)));
            return;
        }
        AgentState state = a.status.state();
        if (state == AgentState.STARTING) {
            a.startWaiters.add(f);
            return;
        }
        if (state == AgentState.RUNNING) {
            f.complete(a.status);
            return;
        }
        if (state == AgentState.STOPPING) {
            a.afterStop.add(() -> doStart(f, trigger));
            return;
        }
        if (state == AgentState.PAUSED) {
            f.completeExceptionally(a.conflict("agent \"" + a.id() + "\" is paused; resume it instead"));
            return;
        }
        a.exits.cancelRetry();
        if (trigger != AgentSupervisor.Trigger.AUTO) {
            a.restartPlanner.reset();
        }
        a.ctx.stats.spawnRequests.incrementAndGet();
        LaunchPlan plan;
        try {
            plan = a.ctx.planner.plan(a.spec);
        } catch (EngineException e) {
            refuse(f, e);
            return;
        }
        String portHolder = portHolder();
        if (portHolder != null) {
            a.ctx.hub.publish(a.id(), EventType.PORT_CONFLICT, "port " + a.spec.port() + " is held by " + portHolder,
                    Map.of("port", a.spec.port()));
            refuse(f, new EngineException(ErrorCode.CONFLICT, "cannot start agent \"" + a.id() + "\": port " + a.spec.port()
                    + " is held by " + portHolder));
            return;
        }
        if (!a.ctx.takeSlot()) {
            refuse(f, new EngineException(ErrorCode.LIMIT, "cannot start agent \"" + a.id() + "\": "
                    + a.ctx.processesRunning() + " agents are running, the limit (maxAgents in settings.json) is "
                    + a.ctx.settings.maxAgents()));
            return;
        }
        // The marker goes first, so the log reads in order: AgentDeck's line, then what the a.run writes.
        a.ctx.logs.marker(a.id(), "starting: " + plan.commandLine());
        long outOffset = AgentLogs.size(a.ctx.logs.out(a.id()));
        long errOffset = AgentLogs.size(a.ctx.logs.err(a.id()));
        RunUnit unit = a.ctx.units.newUnit(a.id());
        ChildProcess launched;
        try {
            launched = a.ctx.launcher.launch(plan, a.ctx.logs.out(a.id()), a.ctx.logs.err(a.id()), unit.cgroup());
        } catch (IOException e) {
            unit.release();
            a.ctx.releaseSlot();
            refuse(f, new EngineException(ErrorCode.FAILED, "cannot start agent \"" + a.id() + "\": " + e.getMessage()));
            return;
        }
        // the a.run starts when the process did (from its start ticks), so a later engine adopting it records the same a.run
        ProcInfo first = a.ctx.table.read(launched.pid()).orElse(null);
        Run r = first == null ? new Run(launched, errOffset, plan.commandLine())
                : new Run(launched, errOffset, plan.commandLine(), a.ctx.table.startInstant(first.startTicks()), false);
        if (first != null) {
            r.startTicks = first.startTicks();
        }
        r.unit = unit;
        r.launcher = a.spec.daemon() != null;
        a.run = r;
        a.ctx.liveLeaders.add(r.pid);
        a.ctx.units.track(r.target(a.id()));
        int restarts = trigger == AgentSupervisor.Trigger.USER ? 0 : a.status.restarts() + 1;
        a.publish(a.status.toBuilder().endOfRun().state(AgentState.STARTING).origin(Origin.MANAGED).pid(r.pid)
                .startedAt(r.startedAt).restarts(restarts).message("starting").removed(false).build());
        if (a.ctx.rotator != null) {
            a.ctx.rotator.checkSoon();
        }
        a.supervision.watchReadiness(r, outOffset, errOffset);
        a.startWaiters.add(f);
        r.child.exit().whenComplete((code, t) -> a.serial.execute(() -> a.exits.onExit(r, code == null ? -1 : code)));
        if (r.launcher) {
            a.daemons.expect(r);
        } else {
            a.ctx.timer.schedule(() -> a.serial.execute(() -> verify(r)), a.ctx.settings.startGraceMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** Who holds the agent's port ("PID 4242: nginx"), or null when it is free or the agent has none. */
    private String portHolder() {
        return PortHolder.of(a.spec.port(), a.ctx.table, null).orElse(null);
    }

    private void refuse(CompletableFuture<AgentStatus> f, EngineException e) {
        a.ctx.stats.spawnFailures.incrementAndGet();
        a.publish(a.status.toBuilder().message("start refused: " + e.error().message()).build());
        a.error(e.error().message(), Map.of("details", e.error().details()));
        f.completeExceptionally(e);
    }

    /** The grace period passed: if the process is still alive, the start counts. */
    private void verify(Run r) {
        if (r != a.run || r.exitCode != null || r.stopRequested) {
            return;
        }
        ProcInfo info = a.ctx.table.read(r.pid).orElse(null);
        if (info == null || info.zombie()) {
            return; // its exit is on the way
        }
        r.startTicks = info.startTicks();
        if (r.leadsGroup && info.pgid() != r.pid) {
            LOG.warn("agent {}: PID {} does not lead its process group ({}); stopping it by its tree", a.id(), r.pid, info.pgid());
            r.leadsGroup = false;
        }
        String cmdline = a.ctx.table.commandLine(r.pid).map(a -> String.join(" ", a))
                .filter(c -> c.equals(r.plannedCommandLine) || !(c.contains("setsid") || Launcher.enteringCgroup(c)))
                .orElse(r.plannedCommandLine);
        writePidFile(r, info, cmdline);
        a.ctx.units.track(r.target(a.id()));
        r.verified = true;
        a.sample(r);
        a.ctx.monitor.scanWithin(1000); // so the children it forks at start are counted soon
        a.ctx.stats.spawnSuccesses.incrementAndGet();
        boolean ready = a.spec.readyLogLine() == null || r.readyMatched;
        boolean checked = a.spec.healthCheck() != null;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", r.pid);
        details.put("commandLine", cmdline);
        a.ctx.hub.publish(a.id(), EventType.SPAWNED, "started as PID " + r.pid, details);
        a.publish(a.status.toBuilder().state(AgentState.RUNNING).ready(ready).health(checked ? Health.UNKNOWN : Health.HEALTHY)
                .message(ready ? "running" : "running; waiting for a line matching " + a.spec.readyLogLine()).build());
        a.supervision.watchHealth(r, a.spec, plan(r));
        a.completeAll(a.startWaiters, a.status, null);
    }

    /** Writes a.run/<id>.pid for the a.run's main process, so a later engine can find it (and its cgroup) again. */
    void writePidFile(Run r, ProcInfo info, String cmdline) {
        try {
            a.ctx.pidFiles.write(new PidFile(r.pid, a.ctx.table.startInstant(info.startTicks()), cmdline, a.id(),
                    info.startTicks(), a.ctx.table.bootId(), r.leadsGroup ? r.pid : null,
                    r.unit.cgroup() == null ? null : r.unit.cgroup().toString()));
        } catch (IOException e) {
            a.error("could not write the PID file: " + e.getMessage(), Map.of());
        }
    }

    LaunchPlan plan(Run r) {
        try {
            return a.ctx.planner.plan(a.spec);
        } catch (EngineException e) {
            return null; // the probe falls back to the engine's cwd and environment
        }
    }
}
