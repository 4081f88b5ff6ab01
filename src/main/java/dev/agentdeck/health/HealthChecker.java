package dev.agentdeck.health;

import dev.agentdeck.core.ProbeTiming;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one agent's probe on its schedule, on the probe pool: first after {@code initialDelayMs}, then
 * {@code intervalMs} after the previous probe finished, so a slow probe delays the next and never overlaps
 * it. Results go to the sink one at a time, in order; while suspended (the agent is paused) probes are
 * skipped; after {@link #stop()} no result arrives.
 */
public final class HealthChecker {
    private final HealthProbe probe;
    private final ProbeTiming timing;
    private final ScheduledExecutorService timer;
    private final Consumer<ProbeResult> sink;
    private volatile boolean stopped;
    private volatile boolean suspended;
    private volatile ScheduledFuture<?> next;

    public HealthChecker(HealthProbe probe, ProbeTiming timing, ScheduledExecutorService timer, Consumer<ProbeResult> sink) {
        this.probe = probe;
        this.timing = timing;
        this.timer = timer;
        this.sink = sink;
    }

    public void start() {
        schedule(timing.initialDelayMs());
    }

    /** Skips probes until {@link #resume()} (a stopped process cannot answer; its silence says nothing). */
    public void suspend() {
        suspended = true;
    }

    public void resume() {
        suspended = false;
    }

    public void stop() {
        stopped = true;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
    }

    private void schedule(long delayMs) {
        if (!stopped) {
            next = timer.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce() {
        if (stopped) {
            return;
        }
        if (suspended) {
            schedule(timing.intervalMs());
            return;
        }
        probe.run().whenComplete((result, t) -> {
            if (stopped) {
                return;
            }
            if (suspended) {
                schedule(timing.intervalMs());
                return;
            }
            sink.accept(result != null ? result
                    : new ProbeResult(false, "the probe failed: " + t, 0, java.time.Instant.now()));
            schedule(timing.intervalMs());
        });
    }
}
