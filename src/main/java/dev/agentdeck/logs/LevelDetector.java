package dev.agentdeck.logs;

/**
 * Detects a line's level from common log formats without regular expressions (it runs for every line of a
 * flood). JSON lines ({@code {...}}) are judged only by a level field ({@code "level"}, {@code "severity"},
 * {@code "lvl"}, {@code "loglevel"}, {@code "levelname"}, {@code "log.level"}, {@code "@l"}), as a word or as a
 * pino/bunyan number (60/50 ERROR, 40 WARN, 30 INFO, 20/10 DEBUG; 0..7 read as syslog severities). Other lines
 * are judged by their head only: first a {@code level=}/{@code lvl=}/{@code severity=} key (logfmt, Go slog),
 * then one-letter formats ({@code E/Tag} logcat, {@code E0102 ...} glog/klog, {@code [E 240102 ...]} Tornado),
 * then the first level word in the first {@value #HEAD} characters that is in capitals ({@code ERROR},
 * {@code WARNING:}), or in brackets ({@code [error]}, {@code <warn>}), or opens the line before a colon
 * ({@code error: ...}, {@code panic: ...}). So a word "error" deep inside an INFO message never counts.
 */
public final class LevelDetector {
    /** How far into a line a level word is looked for. */
    static final int HEAD = 80;
    /** How far into a line a {@code level=} key is looked for (logfmt lines put a timestamp first). */
    static final int KEY_HEAD = 160;

    private static final String[] WORDS = {
        "ERROR", "ERR", "FATAL", "CRITICAL", "CRIT", "SEVERE", "PANIC", "EMERG", "EMERGENCY", "ALERT",
        "WARN", "WARNING", "WRN",
        "INFO", "INF", "NOTICE", "CONFIG",
        "DEBUG", "DBG", "TRACE", "TRC", "FINE", "FINER", "FINEST", "VERBOSE",
    };
    private static final LogLevel[] LEVELS = {
        LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR,
        LogLevel.ERROR, LogLevel.ERROR, LogLevel.ERROR,
        LogLevel.WARN, LogLevel.WARN, LogLevel.WARN,
        LogLevel.INFO, LogLevel.INFO, LogLevel.INFO, LogLevel.INFO,
        LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.DEBUG,
        LogLevel.DEBUG,
    };
    private static final String[] KEYS = {"level", "lvl", "severity", "loglevel", "levelname", "log.level", "@l"};

    private LevelDetector() {
    }

    public static LogLevel detect(String line) {
        if (line == null) {
            return LogLevel.NONE;
        }
        int n = line.length();
        int i = 0;
        while (i < n && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i == n) {
            return LogLevel.NONE;
        }
        if (line.charAt(i) == '{') {
            return json(line, i);
        }
        LogLevel level = keyValue(line, i, Math.min(n, i + KEY_HEAD));
        if (level == null) {
            level = oneLetter(line, i);
        }
        if (level == null) {
            level = words(line, i, Math.min(n, i + HEAD));
        }
        return level;
    }

    /** A JSON object's level field, wherever it is; NONE when it has none. */
    private static LogLevel json(String line, int from) {
        int n = line.length();
        int q = line.indexOf('"', from);
        while (q >= 0) {
            int close = stringEnd(line, q + 1);
            if (close >= n) {
                return LogLevel.NONE;
            }
            if (isKey(line, q + 1, close)) {
                int v = skipSpaces(line, close + 1);
                if (v < n && line.charAt(v) == ':') {
                    LogLevel level = value(line, skipSpaces(line, v + 1), n);
                    if (level != null) {
                        return level;
                    }
                }
            }
            q = line.indexOf('"', close + 1);
        }
        return LogLevel.NONE;
    }

    /** The index of the quote that closes a JSON string starting at {@code i}, or the line's length. */
    private static int stringEnd(String line, int i) {
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i;
            } else {
                i++;
            }
        }
        return n;
    }

    /** {@code level=warn}, {@code lvl="error"}, {@code severity: info} in the head of a text line. */
    private static LogLevel keyValue(String line, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if ((c == 'l' || c == 'L' || c == 's' || c == 'S') && (i == from || !isWordChar(line.charAt(i - 1)))) {
                int end = i;
                while (end < to && (isWordChar(line.charAt(end)) || line.charAt(end) == '.')) {
                    end++;
                }
                if (end < to && (line.charAt(end) == '=' || line.charAt(end) == ':') && isKey(line, i, end)) {
                    LogLevel level = value(line, end + 1, line.length());
                    if (level != null) {
                        return level;
                    }
                }
                i = end;
            }
        }
        return null;
    }

    /** The level named by a value: a (quoted) word or a number; null when it names none. */
    private static LogLevel value(String line, int at, int limit) {
        int i = skipSpaces(line, at);
        if (i < limit && line.charAt(i) == '"') {
            i++;
        }
        int end = i;
        if (i < limit && isDigit(line.charAt(i))) {
            while (end < limit && isDigit(line.charAt(end))) {
                end++;
            }
            return end - i > 3 ? null : number(Integer.parseInt(line, i, end, 10));
        }
        while (end < limit && isLetter(line.charAt(end))) {
            end++;
        }
        return end == i ? null : word(line, i, end);
    }

    /** pino/bunyan levels (10..60); 0..7 are syslog severities. */
    private static LogLevel number(int n) {
        if (n >= 50 || (n <= 3 && n >= 0)) {
            return LogLevel.ERROR;
        }
        if (n >= 40 || n == 4) {
            return LogLevel.WARN;
        }
        if (n >= 30 || n == 5 || n == 6) {
            return LogLevel.INFO;
        }
        return LogLevel.DEBUG;
    }

    /** Android logcat {@code E/Tag: msg}, glog/klog {@code E0102 15:04:05.000000 ...}, Tornado {@code [E 240102 ...]}. */
    private static LogLevel oneLetter(String line, int i) {
        int n = line.length();
        if (i + 2 < n && line.charAt(i + 1) == '/' && isLogcatTag(line, i + 2)) {
            return letter(line.charAt(i), "VDIWEFA");
        }
        if (i + 5 < n && line.charAt(i + 5) == ' ' && digits(line, i + 1, i + 5)) {
            return letter(line.charAt(i), "IWEF");
        }
        if (i + 2 < n && line.charAt(i) == '[' && line.charAt(i + 2) == ' ') {
            return letter(line.charAt(i + 1), "DIWEC");
        }
        return null;
    }

    /** A logcat tag: tag characters up to {@code (} or {@code :}, so {@code I/O error} is not read as INFO. */
    private static boolean isLogcatTag(String line, int i) {
        int end = Math.min(line.length(), i + HEAD);
        int k = i;
        while (k < end && (isWordChar(line.charAt(k)) || ".-$".indexOf(line.charAt(k)) >= 0)) {
            k++;
        }
        int tagEnd = k;
        k = skipSpaces(line, k); // the brief format pads tags: "I/chatty  : ..."
        return tagEnd > i && k < end && (line.charAt(k) == '(' || line.charAt(k) == ':');
    }

    private static LogLevel letter(char c, String allowed) {
        if (allowed.indexOf(c) < 0) {
            return null;
        }
        switch (c) {
            case 'V': case 'D':
                return LogLevel.DEBUG;
            case 'I':
                return LogLevel.INFO;
            case 'W':
                return LogLevel.WARN;
            default:
                return LogLevel.ERROR;
        }
    }

    /** The first level word in the head that is in capitals, bracketed, or opens the line before a colon. */
    private static LogLevel words(String line, int from, int to) {
        boolean first = true;
        int i = from;
        while (i < to) {
            if (!isLetter(line.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean upper = true;
            while (i < line.length() && isLetter(line.charAt(i))) {
                upper &= Character.isUpperCase(line.charAt(i));
                i++;
            }
            char before = start > 0 ? line.charAt(start - 1) : ' ';
            char after = i < line.length() ? line.charAt(i) : ' ';
            boolean bracketed = "[<(|".indexOf(before) >= 0 && "]>)|".indexOf(after) >= 0;
            if (first && start == from && (line.startsWith("Traceback (most recent call last)", start)
                    || line.startsWith("Exception in thread ", start))) {
                return LogLevel.ERROR;
            }
            boolean standalone = !isWordChar(before) && !isWordChar(after) && before != '.' && after != '.';
            if (standalone && (upper && i - start > 1 || bracketed || first && after == ':')) {
                LogLevel level = word(line, start, i);
                if (level != null) {
                    return level;
                }
            }
            first = false;
        }
        return LogLevel.NONE;
    }

    private static LogLevel word(String s, int from, int to) {
        int len = to - from;
        for (int k = 0; k < WORDS.length; k++) {
            if (WORDS[k].length() == len && s.regionMatches(true, from, WORDS[k], 0, len)) {
                return LEVELS[k];
            }
        }
        return null;
    }

    private static boolean isKey(String s, int from, int to) {
        int len = to - from;
        for (String k : KEYS) {
            if (k.length() == len && s.regionMatches(true, from, k, 0, len)) {
                return true;
            }
        }
        return false;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '@';
    }
}
