package dev.agentdeck.process;

import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.Usage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceGuardTest {
    private static final long MB = 1024 * 1024;
    private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void memoryMustStayAboveTheLimitForThreeSamplesInARow() {
        ResourceGuard g = new ResourceGuard(new ResourceLimits(100, null, LimitAction.RESTART));
        assertNull(g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach());
        assertNull(g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach());
        assertNull(g.onSample(new Usage(0, 50 * MB, 1, 0), t0).memoryBreach(), "a dip resets the count");
        assertNull(g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach());
        assertNull(g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach());
        String breach = g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach();
        assertEquals("memory 150 MB is above the limit of 100 MB for 3 samples in a row", breach);
        assertNull(g.onSample(new Usage(0, 150 * MB, 1, 0), t0).memoryBreach(), "acted on once per run");
    }

    @Test
    void cpuWarnsAfterThirtySecondsAboveAndClearsWhenItDrops() {
        ResourceGuard g = new ResourceGuard(new ResourceLimits(null, 50, LimitAction.RESTART));
        assertNull(g.onSample(new Usage(90, MB, 1, 0), t0).cpuWarningStarted());
        assertNull(g.onSample(new Usage(90, MB, 1, 0), t0.plusSeconds(29)).cpuWarningStarted());
        String w = g.onSample(new Usage(90, MB, 1, 0), t0.plusSeconds(30)).cpuWarningStarted();
        assertNotNull(w);
        assertTrue(w.startsWith("CPU above 50 % for 30 s"), w);
        assertEquals(w, g.cpuWarning());
        assertTrue(g.onSample(new Usage(10, MB, 1, 0), t0.plusSeconds(31)).cpuWarningEnded());
        assertNull(g.cpuWarning());
    }
}
