package dev.agentdeck.health;

import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.ProbeTiming;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stream of probe results into a health state with thresholds: {@code failureThreshold} failures in a
 * row make it UNHEALTHY, {@code successThreshold} successes in a row make it HEALTHY. Events come on
 * transitions only: {@code health_check_failed} when probes start failing, {@code unhealthy} when the
 * threshold is crossed, {@code health_check_passed} when it turns HEALTHY. Pure logic.
 */
public final class HealthTracker {
    private final ProbeTiming timing;
    private Health health = Health.UNKNOWN;
    private int okInRow;
    private int failedInRow;
    private Boolean lastOk;

    public HealthTracker(ProbeTiming timing) {
        this.timing = timing;
    }

    /** The outcome of one result: the health after it and the events to publish (often none). */
    public record Outcome(Health health, List<EventType> events) {
    }

    public Outcome record(ProbeResult r) {
        List<EventType> events = new ArrayList<>(2);
        if (r.ok()) {
            okInRow++;
            failedInRow = 0;
            if (health != Health.HEALTHY && okInRow >= timing.successThreshold()) {
                health = Health.HEALTHY;
                events.add(EventType.HEALTH_CHECK_PASSED);
            }
        } else {
            failedInRow++;
            okInRow = 0;
            if (!Boolean.FALSE.equals(lastOk)) {
                events.add(EventType.HEALTH_CHECK_FAILED);
            }
            if (health != Health.UNHEALTHY && failedInRow >= timing.failureThreshold()) {
                health = Health.UNHEALTHY;
                events.add(EventType.UNHEALTHY);
            }
        }
        lastOk = r.ok();
        return new Outcome(health, List.copyOf(events));
    }

    public Health health() {
        return health;
    }
}
