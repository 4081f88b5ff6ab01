package dev.agentdeck.process;

import java.time.Instant;

/**
 * Whether a {@link ProcessService} reaches its engine: always for the in-process engine; for a client over the
 * API, connected, or disconnected with the reason and when it tries again.
 *
 * @param where   what the service is attached to (an URL), or null in-process
 * @param reason  why it is not connected (null when it is)
 * @param retryAt when it tries again (null when it is connected or gave up)
 */
public record Connection(State state, String where, String reason, Instant retryAt) {
    /** Where the service stands. */
    public enum State { CONNECTED, CONNECTING, DISCONNECTED }

    public static final Connection IN_PROCESS = new Connection(State.CONNECTED, null, null, null);

    public boolean connected() {
        return state == State.CONNECTED;
    }
}
