package dev.agentdeck.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Matches a method and path to a route; {@code {name}} segments become path parameters. */
public final class Router {
    /** What a route does with a request: a reply now, or later. */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<Reply> handle(ApiRequest request) throws Exception;
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    /** A matched route and its path parameters. */
    record Match(Handler handler, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    /** A route whose reply is ready at once. */
    public Router now(String method, String pattern, SyncHandler handler) {
        return add(method, pattern, r -> CompletableFuture.completedFuture(handler.handle(r)));
    }

    /** A synchronous route body. */
    @FunctionalInterface
    public interface SyncHandler {
        Reply handle(ApiRequest request) throws Exception;
    }

    /** The route for a request; a path no route has is a 404, a known path with another method a 405. */
    Match match(String method, String path) {
        String[] parts = split(path);
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = params(r.segments, parts);
            if (params == null) {
                continue;
            }
            if (r.method.equals(method) || (method.equals("HEAD") && r.method.equals("GET"))) {
                return new Match(r.handler, params);
            }
            allowed.add(r.method);
        }
        if (!allowed.isEmpty()) {
            throw new ApiError(405, "method_not_allowed", method + " is not allowed on " + path + "; use "
                    + String.join(" or ", allowed), List.of());
        }
        throw ApiError.notFound("no such endpoint: " + method + " " + path);
    }

    private static Map<String, String> params(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
