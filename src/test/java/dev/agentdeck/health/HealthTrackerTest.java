package dev.agentdeck.health;

import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.ProbeTiming;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthTrackerTest {
    private static ProbeResult ok() {
        return new ProbeResult(true, "ok", 1, Instant.now());
    }

    private static ProbeResult bad() {
        return new ProbeResult(false, "HTTP 500", 1, Instant.now());
    }

    @Test
    void thresholdsDecideTheStateAndEventsComeOnTransitionsOnly() {
        HealthTracker t = new HealthTracker(new ProbeTiming(1000, 100, 3, 2, 0));
        assertEquals(new HealthTracker.Outcome(Health.UNKNOWN, List.of()), t.record(ok()));
        assertEquals(new HealthTracker.Outcome(Health.HEALTHY, List.of(EventType.HEALTH_CHECK_PASSED)), t.record(ok()));
        assertEquals(List.of(), t.record(ok()).events(), "no event while nothing changes");
        assertEquals(new HealthTracker.Outcome(Health.HEALTHY, List.of(EventType.HEALTH_CHECK_FAILED)), t.record(bad()));
        assertEquals(new HealthTracker.Outcome(Health.HEALTHY, List.of()), t.record(bad()));
        assertEquals(new HealthTracker.Outcome(Health.UNHEALTHY, List.of(EventType.UNHEALTHY)), t.record(bad()));
        assertEquals(List.of(), t.record(bad()).events());
        assertEquals(new HealthTracker.Outcome(Health.UNHEALTHY, List.of()), t.record(ok()));
        assertEquals(new HealthTracker.Outcome(Health.HEALTHY, List.of(EventType.HEALTH_CHECK_PASSED)), t.record(ok()));
    }

    @Test
    void aFirstFailureWithThresholdOneIsFailedAndUnhealthyAtOnce() {
        HealthTracker t = new HealthTracker(new ProbeTiming(1000, 100, 1, 1, 0));
        assertEquals(new HealthTracker.Outcome(Health.UNHEALTHY, List.of(EventType.HEALTH_CHECK_FAILED, EventType.UNHEALTHY)),
                t.record(bad()));
    }
}
