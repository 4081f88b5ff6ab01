package dev.agentdeck.history;

import java.time.Instant;

/**
 * An agent over a period: the share of the time it ran, how often it restarted, and its CPU (100 = one core)
 * and memory on average and at their peak.
 */
public record HistorySummary(String agentId, Instant from, Instant to, double uptimePercent, int runs,
                             double restartsPerDay, double cpuMean, double cpuPeak, long rssMean, long rssPeak) {
}
