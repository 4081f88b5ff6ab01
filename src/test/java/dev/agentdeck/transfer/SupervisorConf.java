package dev.agentdeck.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads supervisord.conf back as supervisord does: Python's RawConfigParser with supervisor's inline comment
 * prefixes (";" or "#" after whitespace), indented continuation lines, %-expansion, and shlex's POSIX splitting.
 */
final class SupervisorConf {
    private static final Pattern EXPANSION = Pattern.compile("%(%|\\((\\w+)\\)(0?\\d*)([sd]))");

    private SupervisorConf() {
    }

    /** Section to option (lower case) to raw value. */
    static Map<String, Map<String, String>> parse(String text) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, String> section = null;
        String key = null;
        for (String line : text.split("\n", -1)) {
            String value = stripComment(line);
            if (value.strip().isEmpty()) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && key != null) {
                section.put(key, section.get(key) + "\n" + value.strip());
            } else if (value.startsWith("[")) {
                section = out.computeIfAbsent(value.strip().substring(1, value.strip().length() - 1),
                        k -> new LinkedHashMap<>());
                key = null;
            } else {
                int eq = value.indexOf('=');
                key = value.substring(0, eq).strip().toLowerCase();
                section.put(key, value.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        if (line.strip().startsWith(";") || line.strip().startsWith("#")) {
            return "";
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c == ';' || c == '#') && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** %-expansion: %% and %(name)s / %(name)d / %(name)02d; ENV_X is "<X>" unless given. */
    static String expand(String s, Map<String, Object> names) {
        Matcher m = EXPANSION.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String rep;
            if (m.group(1).equals("%")) {
                rep = "%";
            } else {
                Object v = names.get(m.group(2));
                if (v == null && m.group(2).startsWith("ENV_")) {
                    v = "<" + m.group(2).substring(4) + ">";
                }
                rep = m.group(4).equals("d") ? String.format("%" + m.group(3) + "d", (Integer) v) : v.toString();
            }
            m.appendReplacement(b, Matcher.quoteReplacement(rep));
        }
        return m.appendTail(b).toString();
    }

    /** shlex.split (POSIX): quotes, backslash outside quotes, and only \\ and \" inside double quotes. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
                    w.append(s.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else {
                w = w == null ? new StringBuilder() : w;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    w.append(s.charAt(++i));
                } else {
                    w.append(c);
                }
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }

    /** environment= as supervisor 4.4 reads it: KEY=word pairs separated by commas outside quotes. */
    static Map<String, String> environment(String s) {
        Map<String, String> env = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return env;
        }
        int start = 0;
        char quote = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ',';
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\') {
                    i++;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ',') {
                String pair = s.substring(start, i);
                int eq = pair.indexOf('=');
                List<String> value = split(pair.substring(eq + 1));
                env.put(pair.substring(0, eq).strip(), value.isEmpty() ? "" : value.get(0));
                start = i + 1;
            }
        }
        return env;
    }
}
