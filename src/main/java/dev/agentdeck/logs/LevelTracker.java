package dev.agentdeck.logs;

/**
 * The level of each line of one stream, in order: a continuation line inherits the level of the line before
 * it, so a stack trace is as red as the error that printed it. Continuations are lines that are empty or start
 * with whitespace, {@code at }, {@code Caused by:}, {@code ...}, the body of a Python traceback up to and
 * including its exception line (and the sentences that chain tracebacks), and an exception header such as
 * {@code java.lang.IllegalStateException: boom} right after a line with a level. Use one tracker per stream.
 */
public final class LevelTracker {
    private LogLevel last = LogLevel.NONE;
    private boolean inTraceback;

    public LevelTracker() {
    }

    public LogLevel levelOf(String line) {
        if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("at ")
                || line.startsWith("Caused by:") || line.startsWith("...") || line.startsWith("Suppressed:")) {
            return last;
        }
        if (line.startsWith("Traceback (most recent call last)")) {
            inTraceback = true;
            if (last == LogLevel.NONE) {
                last = LogLevel.ERROR;
            }
            return last;
        }
        if (line.startsWith("During handling of the above exception")
                || line.startsWith("The above exception was the direct cause")) {
            return last;
        }
        if (inTraceback) {
            inTraceback = false; // "ValueError: bad" ends the traceback and belongs to it
            return last;
        }
        LogLevel level = LevelDetector.detect(line);
        if (level == LogLevel.NONE && isExceptionHeader(line)) {
            level = last == LogLevel.NONE ? LogLevel.ERROR : last;
        }
        last = level;
        return level;
    }

    /** Forgets the previous line (a new run of the agent begins). */
    void reset() {
        last = LogLevel.NONE;
        inTraceback = false;
    }

    /** {@code java.lang.IllegalStateException: boom}, {@code com.acme.FooError}: a qualified Throwable name first. */
    static boolean isExceptionHeader(String line) {
        int n = line.length();
        int i = 0;
        int dots = 0;
        while (i < n && (Character.isJavaIdentifierPart(line.charAt(i)) || line.charAt(i) == '.')) {
            if (line.charAt(i) == '.') {
                dots++;
            }
            i++;
        }
        if (dots == 0 || i == 0 || (i < n && line.charAt(i) != ':')) {
            return false;
        }
        String name = line.substring(0, i);
        return name.endsWith("Exception") || name.endsWith("Error") || name.endsWith("Throwable");
    }
}
