package dev.agentdeck.core;

import java.util.List;

/** An error as a plain record, so it crosses the API and serializes as it is. */
public record EngineError(ErrorCode code, String message, List<String> details) {
    public EngineError {
        details = details == null ? List.of() : List.copyOf(details);
    }
}
