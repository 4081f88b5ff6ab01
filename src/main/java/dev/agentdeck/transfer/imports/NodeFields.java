package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.SpecValidator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Typed reading of one object of a {@link LocatedTree}, by canonical names (a reader maps aliases to them). A
 * wrong value is a problem naming its line and path, and marks the object failed: the agent is left out.
 */
final class NodeFields {
    final LocatedTree tree;
    final JsonNode node;
    final String path;
    final String label;
    private final Collector out;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private NodeFields parent;
    boolean failed;

    NodeFields(LocatedTree tree, JsonNode node, String path, String label, Collector out, UnaryOperator<String> canonical) {
        this.tree = tree;
        this.node = node;
        this.path = path;
        this.label = label;
        this.out = out;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            keys.putIfAbsent(canonical.apply(key), key);
        }
    }

    /** The canonical names present, in the file's order. */
    List<String> names() {
        return new ArrayList<>(keys.keySet());
    }

    /** The key as the file spells it. */
    String spelled(String name) {
        return keys.getOrDefault(name, name);
    }

    String pathOf(String name) {
        return LocatedTree.field(path, spelled(name));
    }

    /** The path of {@code name} from the outermost object (the agent's), as notes name a setting. */
    String fieldOf(String name) {
        NodeFields top = this;
        while (top.parent != null) {
            top = top.parent;
        }
        String full = pathOf(name);
        return top.path.isEmpty() ? full : full.substring(top.path.length() + 1);
    }

    int line(String name) {
        return tree.line(pathOf(name));
    }

    /** The value, or null when absent or null. */
    JsonNode raw(String name) {
        String key = keys.get(name);
        JsonNode v = key == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    void fail(String name, String message) {
        out.problem(line(name), pathOf(name), message + "; " + label + " is left out");
        for (NodeFields f = this; f != null; f = f.parent) {
            f.failed = true;
        }
    }

    String text(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        fail(name, "must be text, got " + kind(v));
        return null;
    }

    /** A whole number (or text of one), at least {@code min}; null when absent. */
    Long number(String name, long min) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        Long n = v.isIntegralNumber() && v.canConvertToLong() ? Long.valueOf(v.longValue())
                : v.isTextual() && v.textValue().strip().matches("-?\\d{1,18}") ? Long.valueOf(v.textValue().strip())
                : v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()) ? Long.valueOf(v.longValue())
                : null;
        if (n == null) {
            fail(name, "\"" + SpecValidator.printable(v.asText()) + "\" is not a whole number");
        } else if (n < min) {
            fail(name, n + " is below the minimum of " + min);
            n = null;
        }
        return n;
    }

    Boolean bool(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equalsIgnoreCase("true") || v.textValue().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        fail(name, "\"" + SpecValidator.printable(v.asText()) + "\" must be true or false");
        return null;
    }

    /** A list of scalars as text; a single scalar is a list of one. Null when absent. */
    List<String> texts(String name) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (!(e.isTextual() || e.isNumber() || e.isBoolean())) {
                    fail(name, "must be a list of text, got an element that is " + kind(e));
                    return null;
                }
                out.add(e.asText());
            }
            return out;
        }
        if (v.isValueNode()) {
            return List.of(v.asText());
        }
        fail(name, "must be text or a list, got " + kind(v));
        return null;
    }

    /** An object field as a nested reader, or null (with a problem when it is there but not an object). */
    NodeFields object(String name, UnaryOperator<String> canonical) {
        JsonNode v = raw(name);
        if (v == null) {
            return null;
        }
        if (!v.isObject()) {
            fail(name, "must be an object, got " + kind(v));
            return null;
        }
        NodeFields child = new NodeFields(tree, v, pathOf(name), label, out, canonical);
        child.parent = this;
        return child;
    }

    static String kind(JsonNode v) {
        return v.isObject() ? "an object" : v.isArray() ? "a list" : v.isTextual() ? "text \""
                + SpecValidator.printable(v.textValue()) + "\"" : v.isNumber() ? "the number " + v.asText()
                : v.isBoolean() ? v.asText() : "null";
    }
}
