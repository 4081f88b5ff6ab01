package dev.agentdeck.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One agent's configuration and history in one JSON document: its spec as in agents.json, its runs, its events
 * and its 1-minute resource rollups. Importing it back keeps rows the database already has.
 */
public record HistoryExport(int version, Instant exportedAt, String agentId, JsonNode spec, List<RunRecord> runs,
                            List<Event> events, List<Rollup> rollups) {
    public static final int CURRENT_VERSION = 1;

    public HistoryExport {
        runs = runs == null ? List.of() : List.copyOf(runs);
        events = events == null ? List.of() : List.copyOf(events);
        rollups = rollups == null ? List.of() : List.copyOf(rollups);
    }

    /** A recorded event; {@code uid} identifies it across exports so an import never doubles it. */
    public record Event(String uid, Instant time, String type, String message, JsonNode details) {
    }

    /** One minute of resource samples: their count, sums and peaks. */
    public record Rollup(Instant minute, int n, double cpuSum, double cpuMax, long rssSum, long rssMax, long threadsSum) {
    }
}
