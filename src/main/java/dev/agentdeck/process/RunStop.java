package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Stopping a run of one agent: the whole unit, its signal then KILL at the timeout, and the STOPPED that ends it.
 * Part of the agent's state machine ({@link AgentSupervisor}); runs on its serial executor.
 */
final class RunStop {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunStop.class);
    private final AgentSupervisor a;

    RunStop(AgentSupervisor a) {
        this.a = a;
    }

    /** Stops the a.run; {@code reason} is set when the engine (not the user) stops it. */
    void doStop(CompletableFuture<AgentStatus> f, boolean force, String reason) {
        AgentState state = a.status.state();
        if (a.run != null && a.run.exitCode != null && (state.hasProcess() || state == AgentState.STOPPING)) {
            stopRemains(a.run, f, force, reason);
            return;
        }
        if (state == AgentState.STOPPING) {
            a.stopWaiters.add(f);
            if (force && !a.run.escalated) {
                a.run.escalated = true;
                a.ctx.stopper.forceNow(a.run.pid);
            }
            return;
        }
        if (!state.hasProcess()) {
            a.exits.cancelRetry();
            if (state == AgentState.BACKOFF || state == AgentState.FATAL) {
                a.publish(a.status.toBuilder().state(AgentState.STOPPED).nextRetryAt(null).message("stopped by user").build());
            }
            f.complete(a.status);
            return;
        }
        Run r = a.run;
        r.stopRequested = true;
        r.escalated = force;
        r.internalStopReason = reason;
        r.closeWatchers();
        boolean paused = state == AgentState.PAUSED;
        a.stopWaiters.add(f);
        a.publish(a.status.toBuilder().state(AgentState.STOPPING)
                .message(force ? "killing" : "stopping (" + a.spec.stop().signal().sigName() + ")").build());
        a.completeAll(a.startWaiters, null, new EngineException(ErrorCode.CONFLICT,
                "agent \"" + a.id() + "\" was stopped while it was starting"));
        Signal signal = force ? Signal.KILL : a.spec.stop().signal();
        a.ctx.stopper.stop(r.target(a.id()), signal, a.spec.stop().timeoutSec() * 1000L, paused)
                .whenComplete((report, t) -> a.serial.execute(() -> {
                    r.stopReport = report != null ? report : new StopReport(true, 0, List.of(), 0);
                    maybeFinishStop(r);
                }));
    }

    /**
     * A stop asked for once the a.run's main process had already ended (its leftovers are being stopped, or its
     * daemon looked for): nothing is signalled by the main's PID; what is left of the a.run is stopped, and the a.run
     * ends STOPPED.
     */
    private void stopRemains(Run r, CompletableFuture<AgentStatus> f, boolean force, String reason) {
        a.stopWaiters.add(f);
        boolean first = !r.stopRequested;
        r.stopRequested = true;
        r.internalStopReason = r.internalStopReason != null ? r.internalStopReason : reason;
        a.completeAll(a.startWaiters, null, new EngineException(ErrorCode.CONFLICT,
                "agent \"" + a.id() + "\" was stopped while it was starting"));
        if (r.ending) {
            if (force && !r.escalated) {
                r.escalated = true;
                a.ctx.stopper.forceNow(r.pid);
            }
            return;
        }
        if (first) { // the daemon was still being looked for: the a.run's unit goes now
            r.escalated = force;
            r.closeWatchers();
            a.ctx.releaseSlot();
            removePidFile(r);
            a.publish(a.status.toBuilder().state(AgentState.STOPPING).message("stopping what the launcher left").build());
            a.exits.endRun(r, () -> { });
        }
    }

    void maybeFinishStop(Run r) {
        if (r != a.run || r.exitCode == null || r.stopReport == null) {
            return;
        }
        a.exits.releaseUnit(r);
        StopReport report = r.stopReport;
        String by = r.internalStopReason != null ? "stopped by AgentDeck (" + r.internalStopReason + ")"
                : r.escalated ? "killed by user" : "stopped by user";
        String how = report.escalated() && !r.escalated ? by + " (KILL after " + a.spec.stop().timeoutSec() + " s timeout)" : by;
        ExitInfo exit = r.adopted && r.exitCode < 0 ? ExitInfo.unknown(Instant.now(), r.uptimeMs(), how)
                : ExitInfo.fromExitCode(r.exitCode, Instant.now(), r.uptimeMs(), how, "");
        a.ctx.logs.marker(a.id(), exit.reason() + " after " + a.seconds(r.uptimeMs()));
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
        a.ctx.hub.publish(a.id(), EventType.STOPPED, message, details);
        a.publish(a.status.toBuilder().endOfRun().state(AgentState.STOPPED).lastExit(exit).message(message).build());
        reportSurvivors(report);
        a.completeAll(a.stopWaiters, a.status, null);
        List<Runnable> next = new ArrayList<>(a.afterStop);
        a.afterStop.clear();
        next.forEach(Runnable::run);
    }

    /** An error event when processes of the a.run survived KILL (uninterruptible sleep, or not ours to signal). */
    void reportSurvivors(StopReport report) {
        if (report.survivors().isEmpty()) {
            return;
        }
        List<Long> escapedSurvivors = report.escaped().stream().map(StopReport.Escaped::pid)
                .filter(report.survivors()::contains).toList();
        a.error(report.survivors().size() + " process(es) survived KILL: " + report.survivors()
                        + (escapedSurvivors.isEmpty() ? "" : " (" + escapedSurvivors + " had left the tree)"),
                Map.of("survivors", report.survivors(), "escapedSurvivors", escapedSurvivors));
    }

    void removePidFile(Run r) {
        try {
            var current = a.ctx.pidFiles.read(a.id());
            if (current.isPresent() && current.get().pid() == r.pid) {
                a.ctx.pidFiles.remove(a.id());
            }
        } catch (IOException e) {
            LOG.warn("agent {}: PID file: {}", a.id(), e.getMessage());
        }
    }
}
