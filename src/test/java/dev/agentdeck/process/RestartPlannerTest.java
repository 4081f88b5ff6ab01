package dev.agentdeck.process;

import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RestartPlannerTest {
    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

    private static ExitInfo exit(int code) {
        return ExitInfo.fromExitCode(code, Instant.now(), 100, null, "");
    }

    private static long delay(RestartPlanner.Decision d) {
        return assertInstanceOf(RestartPlanner.Retry.class, d).delay().toMillis();
    }

    @Test
    void delaysDoubleUpToTheMaximumThenGiveUpAfterTheBurst() {
        RestartPlanner p = new RestartPlanner(new RestartSpec(RestartPolicy.ON_FAILURE, 100, 300, 5, 60, 10));
        assertEquals(100, delay(p.onExit(t0, 50, exit(1))));
        assertEquals(200, delay(p.onExit(t0.plusSeconds(1), 50, exit(1))));
        assertEquals(300, delay(p.onExit(t0.plusSeconds(2), 50, exit(1))));
        assertEquals(300, delay(p.onExit(t0.plusSeconds(3), 50, exit(1))));
        RestartPlanner.GiveUp g = assertInstanceOf(RestartPlanner.GiveUp.class, p.onExit(t0.plusSeconds(4), 50, exit(3)));
        assertEquals("gave up after 5 failed starts in 60 s; last exit code 3", g.reason());
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        RestartPlanner p = new RestartPlanner(new RestartSpec(RestartPolicy.ON_FAILURE, 10, 10, 2, 60, 10));
        delay(p.onExit(t0, 50, exit(1)));
        assertEquals(1, assertInstanceOf(RestartPlanner.Retry.class, p.onExit(t0.plusSeconds(61), 50, exit(1))).attempt());
    }

    @Test
    void aRunThatStayedUpResetsTheDelayAndIsNoFailedStart() {
        RestartPlanner p = new RestartPlanner(new RestartSpec(RestartPolicy.ON_FAILURE, 100, 10_000, 3, 60, 10));
        delay(p.onExit(t0, 50, exit(1)));
        delay(p.onExit(t0.plusSeconds(1), 50, exit(1)));
        RestartPlanner.Retry r = assertInstanceOf(RestartPlanner.Retry.class, p.onExit(t0.plusSeconds(20), 15_000, exit(1)));
        assertEquals(Duration.ofMillis(100), r.delay());
        assertEquals(2, r.attempt(), "the long run did not add a failed start");
    }

    @Test
    void policiesDecideWhichExitsRestart() {
        RestartPlanner onFailure = new RestartPlanner(new RestartSpec(RestartPolicy.ON_FAILURE, 1, 1, 5, 60, 10));
        assertInstanceOf(RestartPlanner.Stay.class, onFailure.onExit(t0, 50, exit(0)));
        assertInstanceOf(RestartPlanner.Retry.class, onFailure.onExit(t0, 50, exit(137)));
        RestartPlanner always = new RestartPlanner(new RestartSpec(RestartPolicy.ALWAYS, 1, 1, 5, 60, 10));
        assertInstanceOf(RestartPlanner.Retry.class, always.onExit(t0, 50, exit(0)));
        RestartPlanner never = new RestartPlanner(new RestartSpec(RestartPolicy.NEVER, 1, 1, 5, 60, 10));
        assertInstanceOf(RestartPlanner.Stay.class, never.onExit(t0, 50, exit(1)));
    }

    @Test
    void resetForgetsTheHistory() {
        RestartPlanner p = new RestartPlanner(new RestartSpec(RestartPolicy.ON_FAILURE, 100, 1000, 2, 60, 10));
        delay(p.onExit(t0, 50, exit(1)));
        assertInstanceOf(RestartPlanner.GiveUp.class, p.onExit(t0, 50, exit(1)));
        p.reset();
        assertEquals(100, delay(p.onExit(t0, 50, exit(1))));
    }
}
