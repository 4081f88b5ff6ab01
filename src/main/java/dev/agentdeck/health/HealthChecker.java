package dev.agentdeck.health;

import dev.agentdeck.core.ProbeTiming;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one agent's probe on its schedule: first after {@code initialDelayMs}, then {@code intervalMs} after
 * the previous probe finished, so a slow probe delays the next and never overlaps it. Results go to the sink
 * (which hands them to the agent's state machine); after {@link #stop()} none arrive.
 */
public final class HealthChecker {
    private final HealthProbe probe;
    private final ProbeTiming timing;
    private final ScheduledExecutorService timer;
    private final Consumer<ProbeResult> sink;
    private volatile boolean stopped;
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
        probe.run().whenComplete((result, t) -> {
            if (stopped) {
                return;
            }
            sink.accept(result != null ? result
                    : new ProbeResult(false, "the probe failed: " + t, 0, java.time.Instant.now()));
            schedule(timing.intervalMs());
        });
    }
}
