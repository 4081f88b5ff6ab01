package dev.agentdeck.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads unit files back the way systemd does (systemd.syntax(7)): sections and repeated keys; specifiers
 * ({@code %%}, and {@code %i} kept as is); words split on whitespace with single and double quotes and C escapes;
 * {@code $$} in Exec lines.
 */
final class UnitFiles {
    private UnitFiles() {
    }

    /** Section name to key to the values in order. */
    static Map<String, Map<String, List<String>>> parse(String text) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = out.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = l.indexOf('=');
            section.computeIfAbsent(l.substring(0, eq).strip(), k -> new ArrayList<>()).add(l.substring(eq + 1).strip());
        }
        return out;
    }

    static String one(Map<String, Map<String, List<String>>> unit, String section, String key) {
        List<String> values = unit.getOrDefault(section, Map.of()).get(key);
        return values == null ? null : values.get(values.size() - 1);
    }

    /** An ExecStart= value as the argv systemd runs. */
    static List<String> exec(String value) {
        return words(specifiers(value)).stream().map(w -> w.replace("$$", "$")).toList();
    }

    /** Environment= values as the variables they set. */
    static Map<String, String> environment(List<String> values) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String v : values) {
            for (String w : words(specifiers(v))) {
                int eq = w.indexOf('=');
                env.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return env;
    }

    private static String specifiers(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                char n = s.charAt(++i);
                b.append(n == '%' ? "%" : "%" + n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            for (; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    break;
                } else if (c == '\\') {
                    i = unescape(s, i + 1, w);
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            }
            out.add(w.toString());
        }
        return out;
    }

    /** The C escape at {@code i} appended; returns the index of its last character. */
    private static int unescape(String s, int i, StringBuilder w) {
        char c = s.charAt(i);
        switch (c) {
            case 'n' -> w.append('\n');
            case 't' -> w.append('\t');
            case 'r' -> w.append('\r');
            case 'a' -> w.append('\u0007');
            case 'b' -> w.append('\b');
            case 'f' -> w.append('\f');
            case 'v' -> w.append('\u000b');
            case 's' -> w.append(' ');
            case 'x' -> {
                w.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                return i + 2;
            }
            case '\\', '"', '\'' -> w.append(c);
            default -> throw new IllegalArgumentException("unknown escape \\" + c + " in " + s);
        }
        return i;
    }
}
