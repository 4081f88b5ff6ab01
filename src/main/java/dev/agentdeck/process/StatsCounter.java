package dev.agentdeck.process;

import dev.agentdeck.core.EngineStats;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters behind {@link EngineStats}. */
final class StatsCounter {
    final Instant startedAt = Instant.now();
    final AtomicLong spawnRequests = new AtomicLong();
    final AtomicLong spawnSuccesses = new AtomicLong();
    final AtomicLong spawnFailures = new AtomicLong();
    final AtomicLong controlCommands = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    EngineStats snapshot() {
        return new EngineStats(startedAt, spawnRequests.get(), spawnSuccesses.get(), spawnFailures.get(),
                controlCommands.get(), errors.get());
    }
}
