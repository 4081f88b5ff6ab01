package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.Usage;
import dev.agentdeck.health.HealthChecker;
import dev.agentdeck.health.HealthProbe;
import dev.agentdeck.health.HealthTracker;
import dev.agentdeck.health.ProbeContext;
import dev.agentdeck.health.ProbeResult;
import dev.agentdeck.logs.LineMatcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * What watches an agent's run while it lives: its health probe and thresholds, the line that makes it ready,
 * and its resource limits. Results arrive from other threads and are applied on the agent's serial executor.
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
        if (r.verified && (s.state() == AgentState.RUNNING || s.state() == AgentState.PAUSED)) {
            agent.publish(s.toBuilder().ready(true).message("ready").build());
        }
        agent.ctx.hub.publish(agent.id(), EventType.READY, "ready: " + line, Map.of("line", line));
    }

    /** Starts the health checks and the resource guard of a verified run. */
    void watchRun(Run r, AgentSpec spec, LaunchPlan plan) {
        r.guard = new ResourceGuard(spec.resources());
        HealthCheckSpec check = spec.healthCheck();
        if (check == null) {
            return;
        }
        EngineContext ctx = agent.ctx;
        ProbeContext pc = new ProbeContext(spec.port(), plan == null ? null : plan.cwd(), plan == null ? null : plan.env(),
                ctx.http, ctx.probes, ctx.timer);
        r.tracker = new HealthTracker(check.timing());
        r.checker = new HealthChecker(HealthProbe.of(check, pc), check.timing(), ctx.timer,
                result -> agent.serial.execute(() -> onProbe(r, result, check)));
        r.checker.start();
    }

    private void onProbe(Run r, ProbeResult result, HealthCheckSpec check) {
        AgentStatus s = agent.status();
        if (r != agent.run || r.exitCode != null || r.stopRequested || s.state() != AgentState.RUNNING) {
            return; // a paused agent cannot answer; its results say nothing
        }
        HealthTracker.Outcome outcome = r.tracker.record(result);
        if (outcome.health() != s.health() || !result.message().equals(s.healthMessage())) {
            agent.publish(s.toBuilder().health(outcome.health()).healthMessage(result.message()).build());
        }
        for (EventType type : outcome.events()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("durationMs", result.durationMs());
            details.put("type", check.typeName());
            agent.ctx.hub.publish(agent.id(), type, result.message(), details);
        }
        if (outcome.events().contains(EventType.UNHEALTHY) && check.restartOnUnhealthy()) {
            agent.restartFor("unhealthy: " + result.message());
        }
    }

    /** Takes one resource sample of the current run (serial executor). */
    void onUsage(long pid, Usage u) {
        Run r = agent.run;
        AgentStatus s = agent.status();
        if (r == null || r.pid != pid || !r.verified || r.exitCode != null || r.stopRequested || r.guard == null) {
            return;
        }
        ResourceGuard.Verdict v = r.guard.onSample(u, Instant.now());
        List<String> warnings = new ArrayList<>();
        if (r.guard.cpuWarning() != null) {
            warnings.add(r.guard.cpuWarning());
        }
        AgentSpec spec = agent.spec();
        if (v.memoryBreach() != null && spec.resources().memoryAction() == LimitAction.WARN) {
            warnings.add(v.memoryBreach());
        } else {
            s.warnings().stream().filter(w -> w.startsWith("memory")).forEach(warnings::add);
        }
        agent.publish(s.toBuilder().usage(u).warnings(warnings).build());
        if (v.cpuWarningStarted() != null) {
            agent.ctx.hub.publish(agent.id(), EventType.CPU_WARNING, v.cpuWarningStarted(),
                    Map.of("cpuPercent", u.cpuPercent(), "limitPercent", spec.resources().cpuPercent()));
        }
        if (v.memoryBreach() != null) {
            LimitAction action = spec.resources().memoryAction();
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
