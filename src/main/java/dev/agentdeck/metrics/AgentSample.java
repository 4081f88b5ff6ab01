package dev.agentdeck.metrics;

import dev.agentdeck.core.Usage;

import java.time.Instant;

/** One agent's resource use at one moment, summed over the process tree of its main process {@code pid}. */
public record AgentSample(String agentId, long pid, Instant at, Usage usage) {
}
