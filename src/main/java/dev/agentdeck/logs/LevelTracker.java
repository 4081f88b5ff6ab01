package dev.agentdeck.logs;

import java.util.regex.Pattern;

/**
 * Gives lines of one stream their level, letting a continuation (a stack frame, "Caused by:", an indented
 * line, a Python traceback's body) take the level of the line it continues.
 */
public final class LevelTracker {
    private static final Pattern CONTINUATION = Pattern.compile(
            "^(?:\\s+\\S|at |Caused by:|\\.\\.\\. \\d+ more)");
    private LogLevel last = LogLevel.NONE;

    public LogLevel levelOf(String line) {
        if (line.startsWith("Traceback (most recent call last)")) {
            last = LogLevel.ERROR;
            return last;
        }
        LogLevel own = LevelDetector.detect(line);
        if (own == LogLevel.NONE && last != LogLevel.NONE && CONTINUATION.matcher(line).find()) {
            return last;
        }
        last = own;
        return own;
    }
}
