package dev.agentdeck.history;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The closed set of things the history writer writes; each becomes rows in the writer's next transaction. */
sealed interface Write {
    /** An event; {@code details} is turned into JSON by the writer, off the engine's threads. */
    record Event(String uid, long time, String agentId, String type, String message, Object details) implements Write {
        String detailsJson() {
            if (details == null) {
                return null;
            }
            return details instanceof String s ? s : dev.agentdeck.config.Json.compact(details);
        }
    }

    record Sample(String agentId, long time, double cpu, long rss, int threads) implements Write {
    }

    record Host(long time, double cpu, long memUsed, long memTotal, long swapUsed, double load1) implements Write {
    }

    record RunStart(String agentId, long pid, String origin, long startedAt) implements Write {
    }

    record RunEnd(String agentId, long pid, long endedAt, Integer exitCode, String signal, String reason) implements Write {
    }

    record EndOpenRuns(String agentId, long endedAt, String reason) implements Write {
    }

    /** A config change: the spec after it (masked) and, for a change, what changed (secrets only that they did). */
    record ConfigChange(long time, String agentId, String change, String specJson, String changesJson) implements Write {
    }

    /** History brought back from an export: kept where the database already has the same rows. */
    record Import(List<RunRecord> runs, List<Event> events, List<Rollup> rollups) implements Write {
    }

    /** One 1-minute rollup row, as exported. */
    record Rollup(String agentId, long bucket, int n, double cpuSum, double cpuMax, long rssSum, long rssMax,
                  long threadsSum) {
    }

    /** Deletes what is older than the retention settings. */
    record Cleanup(long now) implements Write {
    }

    /** Completes once everything queued before it is committed. */
    record Barrier(CompletableFuture<Void> done) implements Write {
    }
}
