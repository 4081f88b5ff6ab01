package dev.agentdeck.history;

import java.time.Instant;

/** One run of an agent as history keeps it; {@code endedAt} is null while it runs, {@code exitCode} when unknown. */
public record RunRecord(String agentId, long pid, String origin, Instant startedAt, Instant endedAt, Integer exitCode,
                        String signal, String endReason) {
}
