package dev.agentdeck.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reply to write: an HTTP status and a JSON body in the {@code {"success": true, "data": ...}} envelope,
 * or {@link #STREAMING} when the route has taken the exchange over (server-sent events).
 */
public record Reply(int status, Object body) {
    /** The route answers itself, as a stream. */
    public static final Reply STREAMING = new Reply(0, null);

    /** The success envelope; {@code data} is written as it is when the reply is sent (no copy into a tree). */
    public static Reply ok(Object data) {
        return ok(data, Map.of());
    }

    /** The success envelope with {@code data} in the wire form of the engine's records ({@link Json#WIRE}). */
    public static Reply wire(Object data) {
        try {
            return ok(new com.fasterxml.jackson.databind.util.RawValue(Json.WIRE.writeValueAsString(data)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a reply could not be written", e);
        }
    }

    /** The success envelope with more top-level fields beside {@code data} (e.g. {@code total} of a page). */
    public static Reply ok(Object data, Map<String, Object> extra) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("success", true);
        o.put("data", data);
        o.putAll(extra);
        return new Reply(200, o);
    }

    public static Reply error(ApiError e) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("success", false);
        o.put("error", e.getMessage());
        o.set("details", Json.MAPPER.valueToTree(e.details()));
        o.put("code", e.code());
        return new Reply(e.status(), o);
    }
}
