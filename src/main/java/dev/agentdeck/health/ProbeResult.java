package dev.agentdeck.health;

import java.time.Instant;

/** One health probe's verdict: passed or not, what it saw, and how long it took. */
public record ProbeResult(boolean ok, String message, long durationMs, Instant at) {
    static ProbeResult passed(String message, long startNanos) {
        return new ProbeResult(true, message, elapsedMs(startNanos), Instant.now());
    }

    static ProbeResult failed(String message, long startNanos) {
        return new ProbeResult(false, message, elapsedMs(startNanos), Instant.now());
    }

    static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
