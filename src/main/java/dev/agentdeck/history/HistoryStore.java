package dev.agentdeck.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.PrivateFiles;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.Usage;
import dev.agentdeck.metrics.HostSample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An engine's history in SQLite (history.db): runs, events, resource samples (raw, and 1-minute rollups) and
 * config changes. Writes go to one writer thread that batches them in transactions and never blocks the
 * caller; queries read on their own connection. A database that cannot be opened does not stop the engine:
 * history is switched off with the reason, and a corrupt file is moved aside, never deleted.
 */
public final class HistoryStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);
    private final HistoryWriter writer;
    private final HistoryQueries queries;
    private final String problem;

    private HistoryStore(HistoryWriter writer, HistoryQueries queries, String problem) {
        this.writer = writer;
        this.queries = queries;
        this.problem = problem;
    }

    /**
     * Opens (creating or migrating) the database at {@code db}. Never throws: a store that could not open is
     * disabled and says why through {@link #problem()}. {@code onProblem} hears of later write failures.
     */
    public static HistoryStore open(Path db, HistorySettings settings, Consumer<String> onProblem) {
        Connection write = null;
        Connection read = null;
        try {
            PrivateFiles.createDirectories(db.toAbsolutePath().getParent());
            // made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
            PrivateFiles.touch(db);
            write = DriverManager.getConnection("jdbc:sqlite:" + db);
            Schema.configure(write);
            Schema.migrate(write);
            read = DriverManager.getConnection("jdbc:sqlite:" + db);
            Schema.configure(read);
            String name = db.getParent() == null || db.getParent().getFileName() == null ? "db"
                    : db.getParent().getFileName().toString();
            return new HistoryStore(new HistoryWriter(write, settings, onProblem, name, db.toString()), new HistoryQueries(read, settings), null);
        } catch (SQLException | IOException e) {
            closeQuietly(write);
            closeQuietly(read);
            return new HistoryStore(null, null, describe(db, e));
        }
    }

    /** Moves a corrupt database aside (with its WAL files) and says so; otherwise only says why it failed. */
    private static String describe(Path db, Exception e) {
        String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse(e.toString());
        if (e instanceof SQLiteException se && isCorrupt(se.getResultCode())) {
            Path aside = db.resolveSibling(db.getFileName() + ".corrupt-" + System.currentTimeMillis());
            try {
                Files.move(db, aside, StandardCopyOption.ATOMIC_MOVE);
                for (String suffix : List.of("-wal", "-shm")) {
                    Path extra = db.resolveSibling(db.getFileName() + suffix);
                    if (Files.exists(extra)) {
                        Files.move(extra, aside.resolveSibling(aside.getFileName() + suffix));
                    }
                }
                String msg = "history is off: " + db + " is damaged (" + why + "); it was moved to " + aside
                        + " and a new history starts next time";
                LOG.warn(msg);
                return msg;
            } catch (IOException io) {
                return "history is off: " + db + " is damaged (" + why + ") and could not be moved aside: " + io.getMessage();
            }
        }
        String msg = "history is off: " + db + " cannot be opened (" + why + ")";
        LOG.warn(msg);
        return msg;
    }

    private static boolean isCorrupt(SQLiteErrorCode code) {
        return code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT;
    }

    /** A store that keeps nothing, for {@code reason}. */
    public static HistoryStore off(String reason) {
        return new HistoryStore(null, null, reason);
    }

    /** True when history is being kept. */
    public boolean enabled() {
        return problem == null;
    }

    /** Why history is off, when it is. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    // ---- writes (never block) -------------------------------------------------------------------------

    public void event(String uid, AgentEvent e) {
        if (enabled()) {
            writer.offer(new Write.Event(uid, e.time().toEpochMilli(), e.agentId(), e.type().wireName(), e.message(),
                    e.details().isEmpty() ? null : e.details()));
        }
    }

    public void sample(String agentId, Instant at, Usage u) {
        if (enabled()) {
            writer.offer(new Write.Sample(agentId, at.toEpochMilli(), u.cpuPercent(), u.rssBytes(), u.threads()));
        }
    }

    public void host(HostSample h) {
        if (enabled()) {
            writer.offer(new Write.Host(h.at().toEpochMilli(), h.cpuPercent(), h.memUsedBytes(), h.memTotalBytes(),
                    h.swapUsedBytes(), h.load1()));
        }
    }

    public void runStarted(String agentId, long pid, String origin, Instant startedAt) {
        if (enabled()) {
            writer.offer(new Write.RunStart(agentId, pid, origin, startedAt.toEpochMilli()));
        }
    }

    public void runEnded(String agentId, long pid, ExitInfo exit) {
        if (enabled()) {
            writer.offer(new Write.RunEnd(agentId, pid, exit.at().toEpochMilli(), exit.code(), exit.signal(), exit.reason()));
        }
    }

    /** Ends the agent's runs still recorded as open (their process ended while nobody recorded it). */
    public void endOpenRuns(String agentId, String reason) {
        if (enabled()) {
            writer.offer(new Write.EndOpenRuns(agentId, System.currentTimeMillis(), reason));
        }
    }

    /**
     * Records a change of the config: the agent's spec after it (its env masked here, whatever the caller passed:
     * history.db never holds a secret value) and, for a change, what changed ({@code {"port": {"before": 1,
     * "after": 2}, "env.API_KEY": "changed"}}, built by the caller without secret values).
     */
    public void configChanged(String agentId, String change, JsonNode spec, JsonNode changes) {
        if (enabled()) {
            writer.offer(new Write.ConfigChange(System.currentTimeMillis(), agentId, change, ConfigHistory.recorded(spec),
                    changes == null ? null : changes.toString()));
        }
    }

    /** Deletes what is older than the retention settings (the writer also does it every ten minutes). */
    public void cleanup() {
        if (enabled()) {
            writer.offer(new Write.Cleanup(System.currentTimeMillis()));
        }
    }

    /** Completes when everything written so far is committed. */
    public CompletableFuture<Void> flush() {
        if (!enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!writer.offer(new Write.Barrier(done))) {
            done.complete(null);
        }
        return done;
    }

    /** Records written since the start, batches committed, and records dropped (queue full or write failed). */
    public long[] counters() {
        return enabled() ? new long[]{writer.committedWrites(), writer.committedBatches(), writer.dropped()} : new long[3];
    }

    // ---- queries (blocking; callers run them off the FX thread) ---------------------------------------

    public List<RunRecord> runs(String agentId, int limit) throws SQLException {
        return enabled() ? queries.runs(agentId, limit) : List.of();
    }

    public List<AgentEvent> events(EventQuery q) throws SQLException {
        return enabled() ? queries.events(q) : List.of();
    }

    public List<SamplePoint> samples(String agentId, Instant from, Instant to, int maxPoints) throws SQLException {
        return enabled() ? queries.samples(agentId, from, to, maxPoints) : List.of();
    }

    public HistorySummary summary(String agentId, Instant from, Instant to) throws SQLException {
        return enabled() ? queries.summary(agentId, from, to) : new HistorySummary(agentId, from, to, 0, 0, 0, 0, 0, 0, 0);
    }

    public String integrityCheck() throws SQLException {
        return enabled() ? queries.integrityCheck() : "history is off";
    }

    long count(String table) throws SQLException {
        return queries.count(table);
    }

    /** An agent's history for an export (the caller adds the spec). */
    public HistoryExport export(String agentId, JsonNode spec) throws SQLException {
        if (!enabled()) {
            return new HistoryExport(HistoryExport.CURRENT_VERSION, Instant.now(), agentId, spec, List.of(), List.of(), List.of());
        }
        Write.Import rows = queries.exportRows(agentId);
        List<HistoryExport.Event> events = new ArrayList<>();
        for (Write.Event e : rows.events()) {
            JsonNode details = null;
            try {
                details = e.detailsJson() == null ? null : Json.MAPPER.readTree(e.detailsJson());
            } catch (IOException ex) {
                details = Json.MAPPER.getNodeFactory().textNode(e.detailsJson());
            }
            events.add(new HistoryExport.Event(e.uid(), Instant.ofEpochMilli(e.time()), e.type(), e.message(), details));
        }
        List<HistoryExport.Rollup> rollups = rows.rollups().stream().map(r -> new HistoryExport.Rollup(
                Instant.ofEpochMilli(r.bucket()), r.n(), r.cpuSum(), r.cpuMax(), r.rssSum(), r.rssMax(), r.threadsSum())).toList();
        return new HistoryExport(HistoryExport.CURRENT_VERSION, Instant.now(), agentId, spec, rows.runs(), events, rollups);
    }

    /** Writes an export's history back; rows the database already has are kept as they are. */
    public CompletableFuture<Void> importHistory(HistoryExport export) {
        if (!enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Write.Event> events = export.events().stream().map(e -> new Write.Event(e.uid(), e.time().toEpochMilli(),
                export.agentId(), e.type(), e.message(), e.details() == null ? null : e.details().toString())).toList();
        List<Write.Rollup> rollups = export.rollups().stream().map(r -> new Write.Rollup(export.agentId(),
                r.minute().toEpochMilli(), r.n(), r.cpuSum(), r.cpuMax(), r.rssSum(), r.rssMax(), r.threadsSum())).toList();
        List<RunRecord> runs = export.runs().stream().map(r -> new RunRecord(export.agentId(), r.pid(), r.origin(),
                r.startedAt(), r.endedAt(), r.exitCode(), r.signal(), r.endReason())).toList();
        writer.offer(new Write.Import(runs, events, rollups));
        return flush();
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        if (queries != null) {
            try {
                queries.close();
            } catch (SQLException e) {
                LOG.warn("closing history.db: {}", e.toString());
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // already failing
            }
        }
    }
}
