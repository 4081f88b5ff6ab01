package dev.agentdeck.history;

import dev.agentdeck.core.Usage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Run in a child JVM by {@link HistoryStoreTest}: writes samples as fast as it can, in chunks of
 * {@link #CHUNK}, and after each chunk is committed prints "committed N" (N samples in total), until killed.
 */
public final class HistoryCrashProbe {
    static final int CHUNK = 1000;

    private HistoryCrashProbe() {
    }

    public static void main(String[] args) {
        HistoryStore store = HistoryStore.open(Path.of(args[0]), new HistorySettings(Duration.ofDays(1), Duration.ofDays(30),
                Duration.ofDays(30)), System.err::println);
        long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long n = 0;
        while (true) {
            for (int i = 0; i < CHUNK; i++, n++) {
                store.sample("a" + (n % 10), Instant.ofEpochMilli(base + n), new Usage(n % 100, 1_000_000 + n, 4, 0));
            }
            store.flush().join();
            System.out.println("committed " + n);
            System.out.flush();
        }
    }
}
