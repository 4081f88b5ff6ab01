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

    private volatile Connection c; // replaced on the writer thread after a failure; close() reads it from another
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

    /** The database file, as reports name it. */
    private final String file;
    /** Writes lost since the current failure began. */
    private long lostWhileFailing;

    HistoryWriter(Connection c, HistorySettings settings, Consumer<String> onProblem, String name, String file)
            throws SQLException {
        this.c = c;
        this.file = file;
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
        config = c.prepareStatement("INSERT INTO config_changes (time, agent_id, change, spec, changes) VALUES (?, ?, ?, ?, ?)");
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
        // Barriers are gathered before anything is applied: a write that fails half-way (a full disk) must not
        // leave a later barrier uncompleted, or whoever flushes would wait forever.
        List<Write.Barrier> barriers = new ArrayList<>();
        for (Write w : batch) {
            if (w instanceof Write.Barrier b) {
                barriers.add(b);
            }
        }
        try {
            for (Write w : batch) {
                if (!(w instanceof Write.Barrier)) {
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
            if (failing && batch.size() > barriers.size()) { // a batch of only barriers wrote nothing
                failing = false;
                checkpoint(); // give back the space the log of failed attempts took
                LOG.info("history is written to {} again", file);
                onProblem.accept("history is written to " + file + " again (" + lostWhileFailing
                        + " records were lost while it could not be written)");
            }
        } catch (SQLException | RuntimeException e) {
            // a RuntimeException too: the writer thread must outlive any one batch
            discardBatch();
            int lost = batch.size() - barriers.size();
            dropped.addAndGet(lost);
            if (!failing) {
                // said once per failure, not once per batch: a full disk would otherwise report every second
                failing = true;
                lostWhileFailing = 0;
                LOG.warn("history could not be written to {}", file, e);
                onProblem.accept("history could not be written to " + file + ": " + reason(e) + "; " + lost
                        + " records were lost; AgentDeck goes on supervising, keeps trying, and says when it works again");
            }
            lostWhileFailing += lost;
            reconnect();
        } finally {
            barriers.forEach(b -> b.done().complete(null));
        }
    }

    /**
     * Starts over on a fresh connection after a failed batch. SQLite may have rolled the transaction back itself
     * (SQLITE_FULL), and the driver, not knowing, then ran the next batches' statements one by one outside any
     * transaction, growing the write-ahead log until the disk was full again.
     */
    private void reconnect() {
        try {
            c.close();
        } catch (SQLException ignored) {
            // it failed already
        }
        try {
            c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
            Schema.configure(c);
            c.setAutoCommit(false);
            prepare();
            checkpoint();
        } catch (SQLException e) {
            LOG.debug("history.db could not be opened again yet: {}", e.toString());
        }
    }

    /** Moves the write-ahead log into the database and truncates it; on a disk still full it fails, and waits. */
    private void checkpoint() {
        try (var st = c.createStatement()) {
            c.commit();
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            LOG.debug("history checkpoint failed: {}", e.toString());
        }
    }

    /** Rolls the failed transaction back and empties every pending batch, each on its own (one may fail). */
    private void discardBatch() {
        for (var step : List.<SqlStep>of(c::rollback, event::clearBatch, sample::clearBatch, rollup::clearBatch,
                host::clearBatch)) {
            try {
                step.run();
            } catch (SQLException ignored) {
                // SQLite may have rolled back already; the next batch starts clean either way
            }
        }
    }

    private interface SqlStep {
        void run() throws SQLException;
    }

    /** What went wrong, in words: a full disk says so rather than SQLite's "database or disk is full". */
    static String reason(Exception e) {
        if (e instanceof org.sqlite.SQLiteException se
                && (se.getResultCode().code & 0xff) == org.sqlite.SQLiteErrorCode.SQLITE_FULL.code) {
            return "no space left on the device (SQLITE_FULL)";
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
        return m.contains("No space left") ? "no space left on the device (" + m + ")" : m;
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
            config.setString(5, cc.changesJson());
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
