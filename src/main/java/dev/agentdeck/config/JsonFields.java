package dev.agentdeck.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Secrets;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the fields of one JSON object strictly: wrong types and unknown fields become {@link Problem}s that
 * name the place and the field, and reading goes on so that every problem is reported at once.
 */
final class JsonFields {
    private final JsonNode node;
    private final String where;
    private final String prefix;
    private final List<Problem> problems;

    /**
     * @param prefix  prepended to field names in messages, e.g. {@code "restart."}
     * @param allowed the field names this object may have; any other is reported
     */
    JsonFields(JsonNode node, String where, String prefix, List<Problem> problems, Set<String> allowed) {
        this.node = node;
        this.where = where;
        this.prefix = prefix;
        this.problems = problems;
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String hint = closest(name, allowed);
                problem("unknown field \"" + prefix + dev.agentdeck.core.SpecValidator.printable(name) + "\""
                        + (hint == null ? "" : " (did you mean \"" + prefix + hint + "\"?)"));
            }
        }
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    void problem(String what) {
        problems.add(new Problem(where, what));
    }

    /** A string field, or null when absent; a wrong type is reported and read as its text. */
    String text(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            wrongType(field, "a string", v);
            return v.isValueNode() ? v.asText() : null;
        }
        return v.textValue();
    }

    /** An integer field within int range, or null when absent or wrongly typed (reported). */
    Integer integer(String field) {
        Long v = longValue(field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            problem(prefix + field + " " + v + " is out of range");
            return null;
        }
        return v.intValue();
    }

    /** A whole-number field, or null when absent or wrongly typed (reported). */
    Long longValue(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            wrongType(field, "a whole number", v);
            return null;
        }
        return v.longValue();
    }

    Boolean bool(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            wrongType(field, "true or false", v);
            return null;
        }
        return v.booleanValue();
    }

    /** An array of strings, or null when absent; elements of another type are reported and skipped. */
    List<String> textList(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            wrongType(field, "an array of strings", v);
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isTextual()) {
                out.add(e.textValue());
            } else {
                problem(prefix + field + "[" + i + "] must be a string, got " + describe(e));
            }
        }
        return out;
    }

    /** An object of string values, or null when absent. */
    Map<String, String> textMap(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            // not quoted: a string here is likely NAME=value text, secrets and all
            problem(prefix + field + " must be an object of strings, got " + (v.isTextual() ? "a string" : describe(v)));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().textValue());
            } else if ((e.getValue().isNumber() || e.getValue().isBoolean()) && Secrets.isSecret(e.getKey())) {
                // a problem's text goes to events, history.db and the log: a secret's value is not repeated there
                problem(prefix + field + "." + e.getKey() + " must be a string (write the value in quotes), got "
                        + (e.getValue().isNumber() ? "a number" : "true or false"));
            } else if (e.getValue().isNumber() || e.getValue().isBoolean()) {
                problem(prefix + field + "." + e.getKey() + " must be a string (write \"" + e.getValue().asText()
                        + "\" in quotes), got " + describe(e.getValue()));
            } else {
                problem(prefix + field + "." + e.getKey() + " must be a string, got " + describe(e.getValue()));
            }
        });
        return out;
    }

    /** A nested object, or null when absent or not an object (reported). */
    JsonNode object(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            wrongType(field, "an object", v);
            return null;
        }
        return v;
    }

    JsonNode raw(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    void wrongType(String field, String expected, JsonNode got) {
        problem(prefix + field + " must be " + expected + ", got " + describe(got));
    }

    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + dev.agentdeck.core.SpecValidator.printable(v.textValue()) + "\"";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The allowed name closest to a misspelt one, when it is close enough to be a likely typo. */
    static String closest(String name, Set<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), a.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, name.length() / 3)) ? best : null;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return 99;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
