package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a small request body strictly: unknown fields and wrong types are collected, and {@link #done()}
 * refuses the request naming every one of them.
 */
final class BodyFields {
    private final ObjectNode body;
    private final List<String> problems = new ArrayList<>();

    BodyFields(ObjectNode body, Set<String> allowed) {
        this.body = body;
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                problems.add("unknown field \"" + n + "\" (this request takes " + (allowed.isEmpty() ? "no fields"
                        : String.join(", ", allowed.stream().sorted().toList())) + ")");
            }
        }
    }

    String text(String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + " must be a string");
            return null;
        }
        return v.textValue();
    }

    Boolean bool(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            problems.add(field + " must be true or false");
            return null;
        }
        return v.booleanValue();
    }

    Integer integer(String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field + " is required");
            }
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problems.add(field + " must be a whole number");
            return null;
        }
        return v.intValue();
    }

    JsonNode object(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            problems.add(field + " must be an object");
            return null;
        }
        return v;
    }

    void problem(String what) {
        problems.add(what);
    }

    /** Refuses the request when anything was wrong. */
    void done() {
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("the request body has " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s"), problems);
        }
    }
}
