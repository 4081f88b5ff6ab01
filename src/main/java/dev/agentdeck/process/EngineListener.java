package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.metrics.SampleBatch;

/**
 * Receives what an engine publishes, in publication order, on the engine's dispatch thread. Implementations
 * must return quickly (hand work to their own thread); a slow listener delays the others.
 */
public interface EngineListener {
    /** A new snapshot of one agent. */
    default void onStatus(AgentStatus status) {
    }

    /** Something happened. */
    default void onEvent(AgentEvent event) {
    }

    /** A metrics tick: the agents that were sampled, and the host when it was. */
    default void onSamples(SampleBatch batch) {
    }
}
