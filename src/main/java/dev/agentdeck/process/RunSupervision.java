package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.Usage;
import dev.agentdeck.health.HealthChecker;
import dev.agentdeck.health.HealthProbe;
import dev.agentdeck.health.HealthTracker;
import dev.agentdeck.health.ProbeContext;
import dev.agentdeck.health.ProbeResult;
import dev.agentdeck.logs.LineMatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * What watches an agent's run while it lives: its health probe and thresholds, the line that makes it ready,
 * and its resource limits. Probes and samples are judged on their own threads; only what changes something
 * (a health transition, a limit crossed) is handed to the agent's serial executor.
 */
final class RunSupervision {
    private static final long READY_POLL_MS = 50;
    private final AgentSupervisor agent;

    RunSupervision(AgentSupervisor agent) {
        this.agent = agent;
    }

    /** Starts looking for the agent's readyLogLine in what it writes from now on. */
    void watchReadiness(Run r, long outOffset, long errOffset) {
        String regex = agent.spec().readyLogLine();
        if (regex == null) {
            return;
        }
        EngineContext ctx = agent.ctx;
        r.readyMatcher = new LineMatcher(Pattern.compile(regex), List.of(ctx.logs.out(agent.id()), ctx.logs.err(agent.id())),
                List.of(outOffset, errOffset), ctx.timer, READY_POLL_MS, line -> agent.serial.execute(() -> onReadyLine(r, line)));
    }

    private void onReadyLine(Run r, String line) {
        if (r != agent.run || r.exitCode != null || r.stopRequested) {
            return;
        }
        r.readyMatched = true;
        AgentStatus s = agent.status();
        agent.ctx.hub.publish(agent.id(), EventType.READY, "ready: " + line, Map.of("line", line));
        if (r.verified && (s.state() == AgentState.RUNNING || s.state() == AgentState.PAUSED)) {
            agent.publish(s.toBuilder().ready(true).message("ready").build());
        }
    }

    /**
     * The agent's environment for its command probes, without the identity a stop looks for: a probe the engine
     * runs is not one of the agent's processes, and a stop must not take one in flight for a process that left
     * the agent's tree.
     */
    static java.util.Map<String, String> probeEnv(java.util.Map<String, String> env) {
        if (env == null) {
            return null;
        }
        java.util.Map<String, String> out = new java.util.HashMap<>(env);
        out.remove(LaunchPlanner.AGENT_ID_ENV);
        out.remove(LaunchPlanner.DATA_DIR_ENV);
        return out;
    }

    /** Starts the health checks of a verified run. */
    void watchHealth(Run r, AgentSpec spec, LaunchPlan plan) {
        HealthCheckSpec check = spec.healthCheck();
        if (check == null) {
            return;
        }
        EngineContext ctx = agent.ctx;
        ProbeContext pc = new ProbeContext(spec.port(), plan == null ? null : plan.cwd(), plan == null ? null : probeEnv(plan.env()),
                ctx.http, ctx.probes);
        // The tracker lives with the checker (results arrive one at a time); only changes reach the state machine.
        HealthTracker tracker = new HealthTracker(check.timing());
        Object[] last = {Health.UNKNOWN, null};
        r.checker = new HealthChecker(HealthProbe.of(check, pc), check.timing(), ctx.probes, result -> {
            HealthTracker.Outcome o = tracker.record(result);
            if (o.events().isEmpty() && o.health() == last[0] && result.message().equals(last[1])) {
                return;
            }
            last[0] = o.health();
            last[1] = result.message();
            agent.serial.execute(() -> onHealthChange(r, result, o, check));
        });
        r.checker.start();
    }

    private void onHealthChange(Run r, ProbeResult result, HealthTracker.Outcome outcome, HealthCheckSpec check) {
        AgentStatus s = agent.status();
        if (r != agent.run || r.exitCode != null || r.stopRequested || s.state() != AgentState.RUNNING) {
            return;
        }
        for (EventType type : outcome.events()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("durationMs", result.durationMs());
            details.put("type", check.typeName());
            agent.ctx.hub.publish(agent.id(), type, result.message(), details);
        }
        agent.publish(s.toBuilder().health(outcome.health()).healthMessage(result.message()).build());
        if (outcome.events().contains(EventType.UNHEALTHY) && check.restartOnUnhealthy()) {
            agent.restartFor("unhealthy: " + result.message());
        }
    }

    /** Acts on a resource verdict of the run of {@code pid} (serial executor). */
    void onVerdict(long pid, Usage u, ResourceGuard guard, ResourceGuard.Verdict v) {
        Run r = agent.run;
        if (r == null || r.pid != pid || r.exitCode != null || r.stopRequested) {
            return;
        }
        AgentSpec spec = agent.spec();
        List<String> warnings = new ArrayList<>();
        if (guard.cpuWarning() != null) {
            warnings.add(guard.cpuWarning());
        }
        agent.status().warnings().stream().filter(w -> w.startsWith("memory")).forEach(warnings::add);
        LimitAction action = spec.resources().memoryAction();
        if (v.memoryBreach() != null && action == LimitAction.WARN) {
            warnings.add(v.memoryBreach());
        }
        if (v.cpuWarningStarted() != null) {
            agent.ctx.hub.publish(agent.id(), EventType.CPU_WARNING, v.cpuWarningStarted(),
                    Map.of("cpuPercent", u.cpuPercent(), "limitPercent", spec.resources().cpuPercent()));
        }
        agent.publish(agent.status().toBuilder().warnings(warnings).build());
        if (v.memoryBreach() != null) {
            agent.ctx.hub.publish(agent.id(), EventType.RESOURCE_LIMIT, v.memoryBreach() + "; action: " + action.wireName(),
                    Map.of("rssBytes", u.rssBytes(), "limitMb", spec.resources().memoryMb(), "action", action.wireName()));
            if (action == LimitAction.RESTART) {
                agent.restartFor(v.memoryBreach());
            } else if (action == LimitAction.STOP) {
                agent.doStop(new CompletableFuture<>(), false, v.memoryBreach());
            }
        }
    }
}
