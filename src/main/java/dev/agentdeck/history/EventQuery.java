package dev.agentdeck.history;

import java.time.Instant;
import java.util.List;

/**
 * A filter over recorded events; every part is optional.
 *
 * @param agentId only this agent's events
 * @param types   only these event types (wire names, e.g. "failed")
 * @param from    at or after
 * @param to      before
 * @param text    message containing this text (case-insensitive)
 * @param limit   at most this many, newest first
 */
public record EventQuery(String agentId, List<String> types, Instant from, Instant to, String text, int limit) {
    public EventQuery {
        types = types == null ? List.of() : List.copyOf(types);
        limit = limit <= 0 ? 200 : Math.min(limit, 10_000);
    }

    public static EventQuery of(String agentId) {
        return new EventQuery(agentId, List.of(), null, null, null, 200);
    }
}
