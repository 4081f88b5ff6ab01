package dev.agentdeck.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One request as routes see it: path parameters, query parameters, and the body, read strictly. */
public final class ApiRequest {
    private final HttpExchange exchange;
    private final Map<String, String> pathParams;
    private final Map<String, String> query;
    private final byte[] body;

    ApiRequest(HttpExchange exchange, Map<String, String> pathParams, byte[] body) {
        this.exchange = exchange;
        this.pathParams = pathParams;
        this.query = parseQuery(exchange.getRequestURI().getRawQuery());
        this.body = body;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** A path parameter such as {@code {id}}. */
    public String path(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or null when absent or empty. */
    public String query(String name) {
        String v = query.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A whole-number query parameter within [min, max], or {@code dflt} when absent; anything else is a 400. */
    public int intQuery(String name, int dflt, int min, int max) {
        return (int) longQuery(name, dflt, min, max);
    }

    /** A whole-number query parameter in [min, max], or {@code dflt} when absent; anything else is a 400. */
    public long longQuery(String name, long dflt, long min, long max) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest("query parameter " + name + "=" + v + " must be a whole number from " + min + " to " + max);
    }

    public boolean boolQuery(String name, boolean dflt) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true") || v.equals("1")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0")) {
            return false;
        }
        throw ApiError.badRequest("query parameter " + name + "=" + v + " must be true or false");
    }

    public boolean hasBody() {
        return body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank();
    }

    /** The body as JSON; a syntax error is a 400 naming the line and column. */
    public JsonNode json() {
        if (!hasBody()) {
            throw ApiError.badRequest("the request needs a JSON body");
        }
        try {
            return Json.parse(body, "request body");
        } catch (ConfigException e) {
            throw ApiError.badRequest("the request body is not valid JSON", e.problemLines());
        }
    }

    /** The body as a JSON object, or an empty object when there is no body and it is optional. */
    public ObjectNode object(boolean required) {
        if (!required && !hasBody()) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode n = json();
        if (!n.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object");
        }
        return (ObjectNode) n;
    }

    /** The body bound to a record strictly (unknown fields refused), for documents such as exports. */
    public <T> T bind(Class<T> type, String what) {
        JsonNode n = json();
        try {
            return Json.MAPPER.treeToValue(n, type);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw ApiError.badRequest("the request body is not " + what, List.of("unknown field \"" + e.getPropertyName()
                    + "\"" + (e.getPath().size() > 1 ? " in " + e.getPathReference().replaceAll("^[^\\[]*", "") : "")));
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body is not " + what, List.of(e.getOriginalMessage()));
        }
    }

    /** The body bound to one of the engine's records in its wire form ({@link Json#WIRE}; newer fields ignored). */
    public <T> T bindWire(Class<T> type, String what) {
        JsonNode n = json();
        try {
            return Json.WIRE.treeToValue(n, type);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw ApiError.badRequest("the request body is not " + what, List.of(String.valueOf(
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("the query parameter \"" + part + "\" is not validly encoded");
            }
        }
        return out;
    }
}
