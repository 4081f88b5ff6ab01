package dev.agentdeck.history;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.EventType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The questions the panel and the API ask of history, on a connection of their own (WAL lets them read
 * while the writer writes). One query at a time per store.
 */
final class HistoryQueries {
    private final Connection c;
    private final HistorySettings settings;

    HistoryQueries(Connection c, HistorySettings settings) {
        this.c = c;
        this.settings = settings;
    }

    synchronized List<RunRecord> runs(String agentId, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                SELECT agent_id, pid, origin, started_at, ended_at, exit_code, signal, end_reason FROM runs
                WHERE agent_id = ? ORDER BY started_at DESC LIMIT ?""")) {
            p.setString(1, agentId);
            p.setInt(2, limit <= 0 ? 100 : limit);
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long ended = r.getLong(5);
                    boolean open = r.wasNull();
                    int code = r.getInt(6);
                    boolean noCode = r.wasNull();
                    out.add(new RunRecord(r.getString(1), r.getLong(2), r.getString(3), Instant.ofEpochMilli(r.getLong(4)),
                            open ? null : Instant.ofEpochMilli(ended), noCode ? null : code, r.getString(7), r.getString(8)));
                }
            }
            return out;
        }
    }

    synchronized List<AgentEvent> events(EventQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, time, agent_id, type, message, details FROM events WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.agentId() != null) {
            sql.append(" AND agent_id = ?");
            args.add(q.agentId());
        }
        if (!q.types().isEmpty()) {
            sql.append(" AND type IN (").append(String.join(", ", q.types().stream().map(t -> "?").toList())).append(")");
            args.addAll(q.types());
        }
        if (q.from() != null) {
            sql.append(" AND time >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND time < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.text() != null && !q.text().isBlank()) {
            sql.append(" AND instr(lower(message), lower(?)) > 0");
            args.add(q.text());
        }
        sql.append(" ORDER BY time DESC, id DESC LIMIT ?");
        args.add(q.limit());
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            List<AgentEvent> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    EventType type = EventType.parse(r.getString(4));
                    out.add(new AgentEvent(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getString(3),
                            type == null ? EventType.ERROR : type, r.getString(5), details(r.getString(6))));
                }
            }
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, Map.class);
        } catch (java.io.IOException e) {
            return Map.of("raw", json);
        }
    }

    /**
     * Samples of one agent in [from, to) at chart resolution: at most {@code maxPoints} buckets, from the raw
     * samples while the range is recent and short, else from the 1-minute rollups.
     */
    synchronized List<SamplePoint> samples(String agentId, Instant from, Instant to, int maxPoints) throws SQLException {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long bucket = Math.max(1000, (end - start + maxPoints - 1) / Math.max(1, maxPoints));
        boolean raw = bucket < HistoryWriter.MINUTE_MS
                && start >= System.currentTimeMillis() - settings.rawSamples().toMillis();
        String sql = raw ? """
                SELECT (time - ?) / ? AS b, avg(cpu), max(cpu), avg(rss), max(rss), avg(threads)
                FROM samples WHERE agent_id = ? AND time >= ? AND time < ? GROUP BY b ORDER BY b"""
                : """
                SELECT (bucket - ?) / ? AS b, sum(cpu_sum) / sum(n), max(cpu_max), sum(rss_sum) / sum(n), max(rss_max),
                       CAST(sum(threads_sum) AS REAL) / sum(n)
                FROM samples_1m WHERE agent_id = ? AND bucket >= ? AND bucket < ? GROUP BY b ORDER BY b""";
        long step = raw ? bucket : Math.max(HistoryWriter.MINUTE_MS, bucket);
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, start);
            p.setLong(2, step);
            p.setString(3, agentId);
            p.setLong(4, raw ? start : start / HistoryWriter.MINUTE_MS * HistoryWriter.MINUTE_MS);
            p.setLong(5, end);
            List<SamplePoint> out = new ArrayList<>();
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new SamplePoint(Instant.ofEpochMilli(start + r.getLong(1) * step), r.getDouble(2), r.getDouble(3),
                            r.getLong(4), r.getLong(5), r.getDouble(6)));
                }
            }
            return out;
        }
    }

    /** Uptime share, runs and restarts per day from runs; CPU and memory from the rollups. */
    synchronized HistorySummary summary(String agentId, Instant from, Instant to) throws SQLException {
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long up = 0;
        int runs = 0;
        try (PreparedStatement p = c.prepareStatement("""
                SELECT started_at, coalesce(ended_at, ?) FROM runs
                WHERE agent_id = ? AND started_at < ? AND coalesce(ended_at, ?) > ?""")) {
            long now = System.currentTimeMillis();
            p.setLong(1, now);
            p.setString(2, agentId);
            p.setLong(3, end);
            p.setLong(4, now);
            p.setLong(5, start);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    runs++;
                    up += Math.max(0, Math.min(end, r.getLong(2)) - Math.max(start, r.getLong(1)));
                }
            }
        }
        int restarts = 0;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM events WHERE agent_id = ? AND type = 'restarted' AND time >= ? AND time < ?")) {
            p.setString(1, agentId);
            p.setLong(2, start);
            p.setLong(3, end);
            try (ResultSet r = p.executeQuery()) {
                restarts = r.next() ? r.getInt(1) : 0;
            }
        }
        double cpuMean = 0;
        double cpuPeak = 0;
        long rssMean = 0;
        long rssPeak = 0;
        try (PreparedStatement p = c.prepareStatement("""
                SELECT sum(cpu_sum) / sum(n), max(cpu_max), sum(rss_sum) / sum(n), max(rss_max) FROM samples_1m
                WHERE agent_id = ? AND bucket >= ? AND bucket < ?""")) {
            p.setString(1, agentId);
            p.setLong(2, start / HistoryWriter.MINUTE_MS * HistoryWriter.MINUTE_MS);
            p.setLong(3, end);
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    cpuMean = r.getDouble(1);
                    cpuPeak = r.getDouble(2);
                    rssMean = r.getLong(3);
                    rssPeak = r.getLong(4);
                }
            }
        }
        double days = Math.max(1e-9, Duration.ofMillis(end - start).toMillis() / 86_400_000.0);
        return new HistorySummary(agentId, from, to, end > start ? 100.0 * up / (end - start) : 0, runs, restarts / days,
                cpuMean, cpuPeak, rssMean, rssPeak);
    }

    /** Everything history holds of one agent, for an export. */
    synchronized Write.Import exportRows(String agentId) throws SQLException {
        List<RunRecord> runs = runs(agentId, Integer.MAX_VALUE);
        List<Write.Event> events = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT uid, time, agent_id, type, message, details FROM events WHERE agent_id = ? ORDER BY time, id")) {
            p.setString(1, agentId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    events.add(new Write.Event(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6)));
                }
            }
        }
        List<Write.Rollup> rollups = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("""
                SELECT agent_id, bucket, n, cpu_sum, cpu_max, rss_sum, rss_max, threads_sum FROM samples_1m
                WHERE agent_id = ? ORDER BY bucket""")) {
            p.setString(1, agentId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    rollups.add(new Write.Rollup(r.getString(1), r.getLong(2), r.getInt(3), r.getDouble(4), r.getDouble(5),
                            r.getLong(6), r.getLong(7), r.getLong(8)));
                }
            }
        }
        return new Write.Import(runs, events, rollups);
    }

    synchronized long count(String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + table); ResultSet r = p.executeQuery()) {
            return r.next() ? r.getLong(1) : 0;
        }
    }

    synchronized String integrityCheck() throws SQLException {
        try (PreparedStatement p = c.prepareStatement("PRAGMA integrity_check"); ResultSet r = p.executeQuery()) {
            return r.next() ? r.getString(1) : "?";
        }
    }

    void close() throws SQLException {
        c.close();
    }
}
