package dev.agentdeck.transfer.imports;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code text % mapping}, as supervisord expands {@code %(program_name)s} and {@code %(process_num)02d}
 * in its settings: {@code %%} is a percent sign, any other '%' must start {@code %(name)<spec>}.
 */
final class PyFormat {
    private static final Pattern SPEC = Pattern.compile("%(?:%|\\(([^)]*)\\)([-#0 +]*)(\\d*)(?:\\.(\\d+))?([diouxXeEfFgGcrsa]))");

    private PyFormat() {
    }

    /** What one name expands to; a {@code Placeholder} stands for a value known only later (the instance). */
    sealed interface Value permits Text, Number, Placeholder {
    }

    record Text(String text) implements Value {
    }

    record Number(long number) implements Value {
    }

    /** Written as {@code text} whatever the format spec says (its width cannot apply to a value known later). */
    record Placeholder(String text) implements Value {
    }

    /** The result and whether a placeholder was used with a width (as {@code %(process_num)02d}). */
    record Expanded(String text, boolean placeholderUsed, boolean widthLost) {
    }

    static Expanded expand(String text, Map<String, Value> names) {
        StringBuilder out = new StringBuilder();
        boolean used = false;
        boolean widthLost = false;
        int at = 0;
        while (true) {
            int pct = text.indexOf('%', at);
            if (pct < 0) {
                out.append(text, at, text.length());
                return new Expanded(out.toString(), used, widthLost);
            }
            out.append(text, at, pct);
            Matcher m = SPEC.matcher(text).region(pct, text.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("'%' at position " + pct + " must start %(name)s or %(name)d;"
                        + " write %% for a percent sign");
            }
            at = m.end();
            if (m.group(1) == null) {
                out.append('%');
                continue;
            }
            Value v = names.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("%(" + m.group(1) + ") cannot be expanded; known names: "
                        + String.join(", ", names.keySet().stream().filter(n -> !n.startsWith("ENV_")).sorted().toList())
                        + " and ENV_<variable>");
            }
            if (v instanceof Placeholder p) {
                used = true;
                widthLost |= !m.group(3).isEmpty();
                out.append(p.text());
            } else {
                out.append(format(v, m.group(2), m.group(3), m.group(5).charAt(0)));
            }
        }
    }

    private static String format(Value v, String flags, String width, char type) {
        String body;
        if (v instanceof Number n && "diu".indexOf(type) >= 0) {
            body = Long.toString(n.number());
        } else if ("diu".indexOf(type) >= 0) {
            String t = ((Text) v).text().strip();
            if (!t.matches("-?\\d+")) {
                throw new IllegalArgumentException("%d needs a number, got \"" + t + "\"");
            }
            body = t;
        } else {
            body = v instanceof Number n ? Long.toString(n.number()) : ((Text) v).text();
        }
        int w = width.isEmpty() ? 0 : Math.min(Integer.parseInt(width.length() > 4 ? "9999" : width), 9999);
        if (body.length() >= w) {
            return body;
        }
        String pad = (flags.contains("0") && !flags.contains("-") && "diu".indexOf(type) >= 0 ? "0" : " ")
                .repeat(w - body.length());
        if (flags.contains("-")) {
            return body + pad;
        }
        if (pad.startsWith("0") && body.startsWith("-")) {
            return "-" + pad + body.substring(1);
        }
        return pad + body;
    }
}
