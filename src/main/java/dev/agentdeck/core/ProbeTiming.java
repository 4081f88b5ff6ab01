package dev.agentdeck.core;

/**
 * When and how often a health probe runs, and how many results in a row change the verdict.
 */
public record ProbeTiming(long intervalMs, long timeoutMs, int failureThreshold, int successThreshold,
                          long initialDelayMs) {
    public static final ProbeTiming DEFAULT = new ProbeTiming(30_000, 5_000, 3, 1, 0);
}
