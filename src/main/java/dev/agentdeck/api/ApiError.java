package dev.agentdeck.api;

import dev.agentdeck.core.EngineError;

import java.util.List;

/**
 * A refused or failed request, as the reply it becomes: an HTTP status and the {@code {"success": false,
 * "error", "details"}} envelope.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;
    private final transient List<String> details;

    public ApiError(int status, String code, String message, List<String> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiError badRequest(String message, List<String> details) {
        return new ApiError(400, "invalid", message, details);
    }

    public static ApiError badRequest(String message) {
        return badRequest(message, List.of());
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, List.of());
    }

    /** The HTTP form of an engine error: 404 for an unknown agent, 400 for what the request could fix, else 500. */
    public static ApiError of(EngineError e) {
        int status = switch (e.code()) {
            case NOT_FOUND -> 404;
            case INVALID, CONFLICT, LIMIT -> 400;
            case FAILED, IO -> 500;
        };
        return new ApiError(status, e.code().name().toLowerCase(java.util.Locale.ROOT), e.message(), e.details());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<String> details() {
        return details;
    }
}
