package dev.agentdeck.bench;

import dev.agentdeck.core.Usage;
import dev.agentdeck.history.HistorySettings;
import dev.agentdeck.history.HistoryStore;
import dev.agentdeck.history.SamplePoint;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * History's figures (issue 4): sustained sample inserts per second into history.db (raw row + 1-minute
 * rollup each) over 10 s; then, with 24 hours of samples of 100 agents stored, the chart query for one
 * agent's last 24 hours at 300 points (median and min–max of 20). Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.HistoryBenchmark -Dbench.args=}.
 */
public final class HistoryBenchmark {
    private HistoryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("AgentDeck history benchmark");
        System.out.println("machine: " + BenchSupport.machine());
        Path home = BenchSupport.tempHome("agentdeck-bench-history-");
        try (HistoryStore store = HistoryStore.open(home.resolve("history.db"), HistorySettings.DEFAULT, System.err::println)) {
            // 1. sustained inserts
            long base = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
            long offered = 0;
            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(10).toNanos();
            long committed0 = store.counters()[0];
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++, offered++) {
                    store.sample("a" + (offered % 100), Instant.ofEpochMilli(base + offered), new Usage(offered % 90, 50_000_000, 8, 1));
                }
                long backlog = offered - (store.counters()[0] - committed0) - store.counters()[2];
                if (backlog > 50_000) {
                    LockSupport.parkNanos(1_000_000); // stay below the queue's bound: measure throughput, not drops
                }
            }
            store.flush().join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long committed = store.counters()[0] - committed0;
            System.out.printf(Locale.ROOT, "inserted %d samples in %.1f s (%d dropped)%n", committed, seconds, store.counters()[2]);
            String insertRate = String.format(Locale.ROOT, "%,.0f samples/s", committed / seconds);

            // 2. a day of 100 agents: "a0" every 5 s, the others every minute
            long now = System.currentTimeMillis();
            long dayAgo = now - Duration.ofDays(1).toMillis();
            for (long t = dayAgo; t < now; t += 5_000) {
                store.sample("web", Instant.ofEpochMilli(t), new Usage((t / 5000) % 100, 80_000_000 + (t % 7) * 1_000_000, 12, 2));
            }
            for (int a = 1; a < 100; a++) {
                for (long t = dayAgo; t < now; t += 60_000) {
                    store.sample("agent" + a, Instant.ofEpochMilli(t), new Usage(a % 50, 30_000_000, 4, 0));
                }
                store.flush().join();
            }
            store.cleanup();
            store.flush().join();
            List<Double> times = new ArrayList<>();
            int points = 0;
            for (int i = 0; i < 22; i++) {
                long q0 = System.nanoTime();
                List<SamplePoint> day = store.samples("web", Instant.ofEpochMilli(dayAgo), Instant.ofEpochMilli(now), 300);
                double ms = (System.nanoTime() - q0) / 1e6;
                points = day.size();
                if (i >= 2) {
                    times.add(ms);
                }
            }
            System.out.println();
            System.out.println("| figure | aim | result |");
            System.out.println("|---|---|---|");
            System.out.println("| sustained sample inserts (raw row + rollup each) | 10,000/s | " + insertRate + " |");
            System.out.println("| 24 h of one agent's samples at chart resolution (" + points + " points; 100 agents stored) | < 50 ms | "
                    + BenchSupport.summary(times, "ms").replace(" ms (", " ms (").replaceAll("(\\d+) ms", "$1 ms") + " |");
        } finally {
            BenchSupport.deleteTree(home);
        }
    }
}
