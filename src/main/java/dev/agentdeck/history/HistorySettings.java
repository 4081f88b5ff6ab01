package dev.agentdeck.history;

import java.time.Duration;

/**
 * How long history keeps what: raw samples (default 1 hour), 1-minute rollups (30 days), and runs, events
 * and config changes (30 days, as the Spawn API's {@code retentionDays}).
 */
public record HistorySettings(Duration rawSamples, Duration rollups, Duration records) {
    public static final HistorySettings DEFAULT = new HistorySettings(Duration.ofHours(1), Duration.ofDays(30),
            Duration.ofDays(30));
}
