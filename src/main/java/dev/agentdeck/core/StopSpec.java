package dev.agentdeck.core;

import java.util.Objects;

/**
 * How an agent is stopped: this signal to its whole process tree, then KILL after {@code timeoutSec}.
 */
public record StopSpec(Signal signal, int timeoutSec) {
    public static final StopSpec DEFAULT = new StopSpec(Signal.TERM, 10);

    public StopSpec {
        Objects.requireNonNull(signal, "signal");
    }
}
