package dev.agentdeck.core;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to an agent (or to the workspace, when {@code agentId} is null).
 *
 * @param seq     a number that grows by one per event of an engine, so a client can resume after a gap
 * @param details small structured facts (exit code, pid, signal, durations), JSON-friendly values only
 */
public record AgentEvent(long seq, Instant time, String agentId, EventType type, String message,
                         Map<String, Object> details) {
    public AgentEvent {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
