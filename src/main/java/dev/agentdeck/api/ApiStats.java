package dev.agentdeck.api;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The API's own counters, for {@code GET /api/spawn/metrics}: requests, refusals, failures, spawns, streams. */
final class ApiStats {
    private final Instant startedAt = Instant.now();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong clientErrors = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final AtomicLong spawns = new AtomicLong();
    private volatile IntSupplier streams = () -> 0;
    private volatile IntSupplier logStreams = () -> 0;

    /** What the counters say now. */
    record Snapshot(Instant startedAt, long requests, long clientErrors, long serverErrors, long spawnRequests,
                    int eventStreams, int logStreams) {
    }

    void request(int status) {
        requests.incrementAndGet();
        if (status >= 500) {
            serverErrors.incrementAndGet();
        } else if (status >= 400) {
            clientErrors.incrementAndGet();
        }
    }

    void spawnRequested() {
        spawns.incrementAndGet();
    }

    void streams(IntSupplier events, IntSupplier logs) {
        streams = events;
        logStreams = logs;
    }

    Snapshot snapshot() {
        return new Snapshot(startedAt, requests.get(), clientErrors.get(), serverErrors.get(), spawns.get(),
                streams.getAsInt(), logStreams.getAsInt());
    }
}
