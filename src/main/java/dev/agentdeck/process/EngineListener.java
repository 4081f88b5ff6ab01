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

    /**
     * The service reached its engine, or lost it. On (re)connecting, what the service holds was replaced by the
     * engine's current state: read {@link ProcessService#agents()} and {@link ProcessService#statuses()} again.
     */
    default void onConnection(Connection connection) {
    }

    /** A metrics tick: the agents that were sampled, and the host when it was. */
    default void onSamples(SampleBatch batch) {
    }
}
