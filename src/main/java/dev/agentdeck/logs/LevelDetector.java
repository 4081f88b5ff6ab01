package dev.agentdeck.logs;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a line's level in the formats agents commonly print: a level word near the start ({@code ERROR},
 * {@code [warn]}, {@code WARNING:}, {@code level=info}, {@code E/tag}, Python's {@code CRITICAL}, Java's
 * {@code SEVERE} and {@code FINE}), and JSON lines with a {@code level}, {@code severity} or {@code lvl}
 * field, named or numeric (pino and bunyan: 50 error, 40 warn, 30 info, 20 and 10 debug). Only the start of
 * a plain line counts, so an info message that mentions an error stays info.
 */
public final class LevelDetector {
    private static final int HEAD = 80;
    private static final Pattern WORD = Pattern.compile(
            "(?<![A-Za-z0-9_])(?:level=|lvl=|severity=)?\"?(EMERG(?:ENCY)?|ALERT|CRIT(?:ICAL)?|FATAL|PANIC|SEVERE|ERR(?:OR)?|"
                    + "WARN(?:ING)?|INFO|NOTICE|DEBUG|TRACE|FINE(?:R|ST)?|VERBOSE)\"?(?![A-Za-z0-9_])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern JSON_LEVEL = Pattern.compile(
            "\"(?:level|severity|lvl|loglevel|log\\.level)\"\\s*:\\s*(?:\"([A-Za-z]+)\"|(\\d+))", Pattern.CASE_INSENSITIVE);
    /** Android-style "E/Tag:" and glog-style "E1123 10:00:00" prefixes. */
    private static final Pattern LETTER = Pattern.compile("^([EWIDV])(?:/[\\w.$-]+|\\d{4} )");

    private LevelDetector() {
    }

    public static LogLevel detect(String line) {
        if (line.isEmpty()) {
            return LogLevel.NONE;
        }
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("{")) {
            Matcher m = JSON_LEVEL.matcher(line);
            if (m.find()) {
                return m.group(1) != null ? named(m.group(1)) : numeric(Integer.parseInt(m.group(2)));
            }
        }
        String head = line.length() > HEAD ? line.substring(0, HEAD) : line;
        Matcher letter = LETTER.matcher(head);
        if (letter.find()) {
            return switch (letter.group(1)) {
                case "E" -> LogLevel.ERROR;
                case "W" -> LogLevel.WARN;
                case "I" -> LogLevel.INFO;
                default -> LogLevel.DEBUG;
            };
        }
        Matcher m = WORD.matcher(head);
        while (m.find()) {
            String word = m.group(1);
            // a lower-case word counts only when marked as a level (level=, [..], "..:" or at the line start)
            if (word.equals(word.toUpperCase(Locale.ROOT)) || marked(head, m.start(), m.end())) {
                return named(word);
            }
        }
        return LogLevel.NONE;
    }

    private static boolean marked(String head, int start, int end) {
        if (head.regionMatches(true, start, "level=", 0, 6) || head.regionMatches(true, start, "lvl=", 0, 4)
                || head.regionMatches(true, start, "severity=", 0, 9)) {
            return true;
        }
        char before = start > 0 ? head.charAt(start - 1) : ' ';
        char after = end < head.length() ? head.charAt(end) : ' ';
        return before == '[' || after == ']' || after == ':' || head.substring(0, start).isBlank();
    }

    static LogLevel named(String word) {
        String w = word.toUpperCase(Locale.ROOT);
        if (w.startsWith("ERR") || w.startsWith("CRIT") || w.startsWith("EMERG") || w.equals("ALERT") || w.equals("FATAL")
                || w.equals("PANIC") || w.equals("SEVERE")) {
            return LogLevel.ERROR;
        }
        if (w.startsWith("WARN")) {
            return LogLevel.WARN;
        }
        if (w.equals("INFO") || w.equals("NOTICE")) {
            return LogLevel.INFO;
        }
        if (w.equals("DEBUG") || w.equals("TRACE") || w.startsWith("FINE") || w.equals("VERBOSE")) {
            return LogLevel.DEBUG;
        }
        return LogLevel.NONE;
    }

    static LogLevel numeric(int level) {
        if (level >= 50) {
            return LogLevel.ERROR;
        }
        if (level >= 40) {
            return LogLevel.WARN;
        }
        if (level >= 30) {
            return LogLevel.INFO;
        }
        return level > 0 ? LogLevel.DEBUG : LogLevel.NONE;
    }
}
