package dev.agentdeck.core;

import java.util.Objects;

/**
 * Restart policy with exponential back-off: the delay starts at {@code delayMs} and doubles up to
 * {@code maxDelayMs}; it resets after a run stayed up {@code resetAfterSec}. After {@code burst} failed
 * starts within {@code windowSec} the agent goes FATAL.
 */
public record RestartSpec(RestartPolicy policy, long delayMs, long maxDelayMs, int burst, int windowSec,
                          int resetAfterSec) {
    public static final RestartSpec DEFAULT = new RestartSpec(RestartPolicy.ON_FAILURE, 1000, 60_000, 5, 300, 10);

    public RestartSpec {
        Objects.requireNonNull(policy, "policy");
    }
}
