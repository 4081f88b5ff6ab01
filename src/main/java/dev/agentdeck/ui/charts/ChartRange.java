package dev.agentdeck.ui.charts;

import java.time.Duration;

/** What a resource chart shows: the last five minutes live, or an hour, a day or a week from history. */
public enum ChartRange {
    LIVE(Duration.ofMinutes(5)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1)), WEEK(Duration.ofDays(7));

    private final Duration span;

    ChartRange(Duration span) {
        this.span = span;
    }

    public Duration span() {
        return span;
    }
}
