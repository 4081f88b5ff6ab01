package dev.agentdeck.process;

/** Ends a subscription to an engine's updates. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
