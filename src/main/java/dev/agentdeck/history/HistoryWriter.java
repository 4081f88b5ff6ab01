package dev.agentdeck.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread that writes history.db: it gathers what arrives for up to {@link #LINGER_MS} (or
 * {@link #MAX_BATCH} writes) and commits it in one transaction, so a crash loses at most that last batch,
 * and a burst (a start-all) is written once it is over rather than while the engine is busy with it.
 * The engine never waits for it: a full queue drops what does not fit and counts it; a failed batch (a full
 * disk) is reported and dropped, and writing resumes when it can.
 */
final class HistoryWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
    static final long LINGER_MS = 1_000;
    static final int MAX_BATCH = 5_000;
    static final long MINUTE_MS = 60_000;
    static final long CLEANUP_EVERY_MS = 10 * MINUTE_MS;

    private final Connection c;
    private final HistorySettings settings;
    private final Consumer<String> onProblem;
    private final BlockingQueue<Write> queue = new ArrayBlockingQueue<>(200_000);
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong committedBatches = new AtomicLong();
    private final AtomicLong committedWrites = new AtomicLong();
    private volatile boolean closing;
    private boolean failing;
    private PreparedStatement event;
    private PreparedStatement sample;
    private PreparedStatement rollup;
    private PreparedStatement host;
    private PreparedStatement runStart;
    private PreparedStatement runEnd;
    private PreparedStatement config;

    HistoryWriter(Connection c, HistorySettings settings, Consumer<String> onProblem, String name) throws SQLException {
        this.c = c;
        this.settings = settings;
        this.onProblem = onProblem;
        c.setAutoCommit(false);
        prepare();
        thread = new Thread(this::loop, "agentdeck-history-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void prepare() throws SQLException {
        event = c.prepareStatement("INSERT OR IGNORE INTO events (uid, time, agent_id, type, message, details) VALUES (?, ?, ?, ?, ?, ?)");
        sample = c.prepareStatement("INSERT OR REPLACE INTO samples (agent_id, time, cpu, rss, threads) VALUES (?, ?, ?, ?, ?)");
        rollup = c.prepareStatement("""
                INSERT INTO samples_1m (agent_id, bucket, n, cpu_sum, cpu_max, rss_sum, rss_max, threads_sum)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (agent_id, bucket) DO UPDATE SET n = n + excluded.n, cpu_sum = cpu_sum + excluded.cpu_sum,
                  cpu_max = max(cpu_max, excluded.cpu_max), rss_sum = rss_sum + excluded.rss_sum,
                  rss_max = max(rss_max, excluded.rss_max), threads_sum = threads_sum + excluded.threads_sum""");
        host = c.prepareStatement("INSERT OR REPLACE INTO host_samples (time, cpu, mem_used, mem_total, swap_used, load1) VALUES (?, ?, ?, ?, ?, ?)");
        runStart = c.prepareStatement("INSERT OR IGNORE INTO runs (agent_id, pid, origin, started_at) VALUES (?, ?, ?, ?)");
        runEnd = c.prepareStatement("""
                UPDATE runs SET ended_at = ?, exit_code = ?, signal = ?, end_reason = ?
                WHERE agent_id = ? AND pid = ? AND ended_at IS NULL""");
        config = c.prepareStatement("INSERT INTO config_changes (time, agent_id, change, spec) VALUES (?, ?, ?, ?)");
    }

    /** Queues a write; never blocks. Returns false (and counts it) when the queue is full. */
    boolean offer(Write w) {
        if (closing || !queue.offer(w)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    long dropped() {
        return dropped.get();
    }

    long committedBatches() {
        return committedBatches.get();
    }

    long committedWrites() {
        return committedWrites.get();
    }

    private void loop() {
        List<Write> batch = new ArrayList<>(MAX_BATCH);
        long nextCleanup = System.currentTimeMillis() + CLEANUP_EVERY_MS;
        while (!closing || !queue.isEmpty()) {
            try {
                if (System.currentTimeMillis() >= nextCleanup) {
                    nextCleanup = System.currentTimeMillis() + CLEANUP_EVERY_MS;
                    commit(new ArrayList<>(List.of(new Write.Cleanup(System.currentTimeMillis()))));
                }
                Write first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long until = System.currentTimeMillis() + LINGER_MS;
                while (batch.size() < MAX_BATCH && !closing && !(first instanceof Write.Barrier)) {
                    long wait = until - System.currentTimeMillis();
                    Write next = wait > 0 ? queue.poll(wait, TimeUnit.MILLISECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    if (next instanceof Write.Barrier) {
                        break;
                    }
                }
                queue.drainTo(batch, MAX_BATCH - batch.size());
                commit(batch);
            } catch (InterruptedException e) {
                closing = true;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Write> batch) {
        List<Write.Barrier> barriers = new ArrayList<>();
        try {
            for (Write w : batch) {
                if (w instanceof Write.Barrier b) {
                    barriers.add(b);
                } else {
                    apply(w);
                }
            }
            event.executeBatch();
            sample.executeBatch();
            rollup.executeBatch();
            host.executeBatch();
            c.commit();
            committedBatches.incrementAndGet();
            committedWrites.addAndGet(batch.size() - barriers.size());
            if (failing) {
                failing = false;
                onProblem.accept("history is written again");
            }
        } catch (SQLException e) {
            try {
                c.rollback();
                event.clearBatch();
                sample.clearBatch();
                rollup.clearBatch();
                host.clearBatch();
            } catch (SQLException ignored) {
                // the next batch starts clean anyway
            }
            dropped.addAndGet(batch.size() - barriers.size());
            if (!failing) {
                failing = true;
                LOG.warn("history could not be written", e);
                onProblem.accept("history could not be written (" + e.getMessage() + "); " + (batch.size() - barriers.size())
                        + " records were lost; AgentDeck keeps trying");
            }
        } finally {
            barriers.forEach(b -> b.done().complete(null));
        }
    }

    private void apply(Write w) throws SQLException {
        if (w instanceof Write.Event e) {
            addEvent(e);
        } else if (w instanceof Write.Sample s) {
            sample.setString(1, s.agentId());
            sample.setLong(2, s.time());
            sample.setDouble(3, s.cpu());
            sample.setLong(4, s.rss());
            sample.setInt(5, s.threads());
            sample.addBatch();
            addRollup(new Write.Rollup(s.agentId(), s.time() / MINUTE_MS * MINUTE_MS, 1, s.cpu(), s.cpu(), s.rss(),
                    s.rss(), s.threads()));
        } else if (w instanceof Write.Host h) {
            host.setLong(1, h.time());
            host.setDouble(2, h.cpu());
            host.setLong(3, h.memUsed());
            host.setLong(4, h.memTotal());
            host.setLong(5, h.swapUsed());
            host.setDouble(6, h.load1());
            host.addBatch();
        } else if (w instanceof Write.RunStart r) {
            runStart.setString(1, r.agentId());
            runStart.setLong(2, r.pid());
            runStart.setString(3, r.origin());
            runStart.setLong(4, r.startedAt());
            runStart.executeUpdate();
        } else if (w instanceof Write.RunEnd r) {
            runEnd.setLong(1, r.endedAt());
            setInteger(runEnd, 2, r.exitCode());
            runEnd.setString(3, r.signal());
            runEnd.setString(4, r.reason());
            runEnd.setString(5, r.agentId());
            runEnd.setLong(6, r.pid());
            runEnd.executeUpdate();
        } else if (w instanceof Write.EndOpenRuns e) {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE runs SET ended_at = ?, end_reason = ? WHERE agent_id = ? AND ended_at IS NULL")) {
                p.setLong(1, e.endedAt());
                p.setString(2, e.reason());
                p.setString(3, e.agentId());
                p.executeUpdate();
            }
        } else if (w instanceof Write.ConfigChange cc) {
            config.setLong(1, cc.time());
            config.setString(2, cc.agentId());
            config.setString(3, cc.change());
            config.setString(4, cc.specJson());
            config.executeUpdate();
        } else if (w instanceof Write.Import imp) {
            importRows(imp);
        } else if (w instanceof Write.Cleanup cl) {
            cleanup(cl.now());
        }
    }

    private void addEvent(Write.Event e) throws SQLException {
        event.setString(1, e.uid());
        event.setLong(2, e.time());
        event.setString(3, e.agentId());
        event.setString(4, e.type());
        event.setString(5, e.message());
        event.setString(6, e.detailsJson());
        event.addBatch();
    }

    private void addRollup(Write.Rollup r) throws SQLException {
        rollup.setString(1, r.agentId());
        rollup.setLong(2, r.bucket());
        rollup.setInt(3, r.n());
        rollup.setDouble(4, r.cpuSum());
        rollup.setDouble(5, r.cpuMax());
        rollup.setLong(6, r.rssSum());
        rollup.setLong(7, r.rssMax());
        rollup.setLong(8, r.threadsSum());
        rollup.addBatch();
    }

    private void importRows(Write.Import imp) throws SQLException {
        for (RunRecord r : imp.runs()) {
            runStart.setString(1, r.agentId());
            runStart.setLong(2, r.pid());
            runStart.setString(3, r.origin());
            runStart.setLong(4, r.startedAt().toEpochMilli());
            runStart.executeUpdate();
            if (r.endedAt() != null) {
                runEnd.setLong(1, r.endedAt().toEpochMilli());
                setInteger(runEnd, 2, r.exitCode());
                runEnd.setString(3, r.signal());
                runEnd.setString(4, r.endReason());
                runEnd.setString(5, r.agentId());
                runEnd.setLong(6, r.pid());
                runEnd.executeUpdate();
            }
        }
        for (Write.Event e : imp.events()) {
            addEvent(e);
        }
        try (PreparedStatement keep = c.prepareStatement("""
                INSERT OR IGNORE INTO samples_1m (agent_id, bucket, n, cpu_sum, cpu_max, rss_sum, rss_max, threads_sum)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (Write.Rollup r : imp.rollups()) {
                keep.setString(1, r.agentId());
                keep.setLong(2, r.bucket());
                keep.setInt(3, r.n());
                keep.setDouble(4, r.cpuSum());
                keep.setDouble(5, r.cpuMax());
                keep.setLong(6, r.rssSum());
                keep.setLong(7, r.rssMax());
                keep.setLong(8, r.threadsSum());
                keep.addBatch();
            }
            keep.executeBatch();
        }
    }

    private void cleanup(long now) throws SQLException {
        try (PreparedStatement raw = c.prepareStatement("DELETE FROM samples WHERE time < ?");
             PreparedStatement hosts = c.prepareStatement("DELETE FROM host_samples WHERE time < ?");
             PreparedStatement rollups = c.prepareStatement("DELETE FROM samples_1m WHERE bucket < ?");
             PreparedStatement events = c.prepareStatement("DELETE FROM events WHERE time < ?");
             PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE ended_at IS NOT NULL AND ended_at < ?");
             PreparedStatement configs = c.prepareStatement("DELETE FROM config_changes WHERE time < ?")) {
            long rawCut = now - settings.rawSamples().toMillis();
            raw.setLong(1, rawCut);
            raw.executeUpdate();
            hosts.setLong(1, rawCut);
            hosts.executeUpdate();
            rollups.setLong(1, now - settings.rollups().toMillis());
            rollups.executeUpdate();
            long recordCut = now - settings.records().toMillis();
            for (PreparedStatement p : List.of(events, runs, configs)) {
                p.setLong(1, recordCut);
                p.executeUpdate();
            }
        }
    }

    private static void setInteger(PreparedStatement p, int i, Integer v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            c.close();
        } catch (SQLException e) {
            LOG.warn("closing history.db: {}", e.toString());
        }
    }
}
