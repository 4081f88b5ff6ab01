package dev.agentdeck.ui.logs;

import dev.agentdeck.logs.LogLevel;

/** The least severe level a log pane shows; lines without a recognised level count as info. */
public enum LevelFilter {
    ALL(LogLevel.DEBUG), INFO(LogLevel.INFO), WARN(LogLevel.WARN), ERROR(LogLevel.ERROR);

    private final LogLevel least;

    LevelFilter(LogLevel least) {
        this.least = least;
    }

    public boolean passes(LogLevel level) {
        LogLevel effective = level == LogLevel.NONE ? LogLevel.INFO : level;
        return effective.ordinal() <= least.ordinal();
    }

    /** The bundle key of the filter's label. */
    public String key() {
        return "logs.level." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
