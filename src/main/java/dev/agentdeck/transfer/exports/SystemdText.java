package dev.agentdeck.transfer.exports;

import java.util.Locale;

/**
 * Quoting for unit files (systemd.syntax(7), systemd.service(5) "Command lines"): specifiers are resolved first,
 * so {@code %} is written {@code %%}; then words split on whitespace, double quotes group, and C escapes are
 * understood; finally Exec lines substitute {@code $VAR}, so there {@code $} is written {@code $$}.
 */
final class SystemdText {
    private SystemdText() {
    }

    /** One word of an ExecStart= line: quoted when it has to be, with {@code $} and {@code %} doubled. */
    static String execWord(String s) {
        return word(s, true);
    }

    /** One {@code Environment=} assignment, always quoted ({@code $} has no meaning there). */
    static String assignment(String name, String value) {
        return "\"" + escape(name + "=" + value, false) + "\"";
    }

    /** A value taken as the rest of the line (paths, descriptions): only specifiers are special. */
    static String plain(String s) {
        return s.replace("%", "%%").replaceAll("\\p{Cntrl}", " ");
    }

    /** A time span: whole seconds as {@code 10s}, else milliseconds. */
    static String span(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static String word(String s, boolean dollar) {
        boolean bare = !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"'\\;".indexOf(c) < 0);
        String escaped = escape(s, dollar);
        return bare ? escaped : "\"" + escaped + "\"";
    }

    private static String escape(String s, boolean dollar) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '%' -> b.append("%%");
                case '$' -> b.append(dollar ? "$$" : "$");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
