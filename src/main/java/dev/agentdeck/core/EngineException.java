package dev.agentdeck.core;

import java.util.List;

/** Completes engine futures exceptionally; carries the {@link EngineError} that faces show. */
public final class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient EngineError error;

    public EngineException(EngineError error) {
        super(describe(error));
        this.error = error;
    }

    public EngineException(ErrorCode code, String message) {
        this(new EngineError(code, message, List.of()));
    }

    public EngineException(ErrorCode code, String message, List<String> details) {
        this(new EngineError(code, message, details));
    }

    public EngineError error() {
        return error;
    }

    public ErrorCode code() {
        return error.code();
    }

    /** Unwraps CompletionException layers to find the engine error, or wraps any other failure as FAILED. */
    public static EngineError of(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof EngineException e) {
            return e.error();
        }
        return new EngineError(ErrorCode.FAILED, String.valueOf(c.getMessage() == null ? c : c.getMessage()), List.of());
    }

    private static String describe(EngineError e) {
        if (e.details().isEmpty()) {
            return e.message();
        }
        return e.message() + "\n  - " + String.join("\n  - ", e.details());
    }
}
