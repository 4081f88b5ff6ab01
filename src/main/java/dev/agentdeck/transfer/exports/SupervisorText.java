package dev.agentdeck.transfer.exports;

import java.util.regex.Pattern;

/**
 * Quoting for supervisord.conf. Values pass three readers: Python's ConfigParser (a line break continues the value
 * only on an indented line, each line is stripped, and {@code ;} or {@code #} after whitespace starts a comment),
 * then {@code %}-expansion ({@code %%} is a percent sign), then {@code shlex} in POSIX mode for {@code command=}
 * (and for {@code environment=} from supervisor 4.4; before, a legacy mode without escapes that strips quotes).
 * Words are single-quoted; an empty pair {@code ''} (closing and reopening the quote) is put wherever ConfigParser
 * would otherwise strip or cut: around line breaks and between whitespace and {@code ;}/{@code #}.
 */
final class SupervisorText {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_@+=:,./-]+");
    private static final String INDENT = "    ";

    private SupervisorText() {
    }

    /** One word of command=, bare when it can be; null if it holds a CR (Python reads that as a line break). */
    static String word(String s) {
        return s.indexOf('\r') < 0 && BARE.matcher(s).matches() ? s : quoted(s);
    }

    /** One word, always quoted (environment= splits bare text at punctuation); null if it holds a CR. */
    static String quoted(String s) {
        if (s.indexOf('\r') >= 0) {
            return null;
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char last = b.charAt(b.length() - 1);
            switch (c) {
                case '\'' -> b.append("'\"'\"'");
                case '\n' -> b.append("''\n").append(INDENT).append("''");
                case '%' -> b.append("%%");
                default -> {
                    if ((c == ';' || c == '#') && isSpace(last)) {
                        b.append("''");
                    }
                    b.append(c);
                }
            }
        }
        return b.append('\'').toString();
    }

    /**
     * An environment= value both readers take the same way, or null: quoted with ' (or " when it holds a '),
     * without line breaks, quotes at its ends (legacy mode strips them), or a comment start after whitespace.
     */
    static String legacyValue(String v) {
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || commentAfterSpace(v)
                || v.startsWith("'") || v.startsWith("\"") || v.endsWith("'") || v.endsWith("\"")) {
            return null;
        }
        String escaped = v.replace("%", "%%");
        if (v.indexOf('\'') < 0) {
            return "'" + escaped + "'";
        }
        if (v.indexOf('"') < 0 && v.indexOf('\\') < 0) {
            return "\"" + escaped + "\"";
        }
        return null;
    }

    /** A value read as the rest of the line (a path), or null when ConfigParser would not keep it as it is. */
    static String raw(String s) {
        if (s.isEmpty() || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || commentAfterSpace(s)
                || !s.strip().equals(s)) {
            return null;
        }
        return s.replace("%", "%%");
    }

    private static boolean commentAfterSpace(String s) {
        for (int i = 1; i < s.length(); i++) {
            if ((s.charAt(i) == ';' || s.charAt(i) == '#') && isSpace(s.charAt(i - 1))) {
                return true;
            }
        }
        return s.startsWith(";") || s.startsWith("#");
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
