package dev.agentdeck.history;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * history.db's schema, as forward migrations: the database's {@code PRAGMA user_version} says how many have
 * been applied; opening applies the rest, each in its own transaction. Times are epoch milliseconds.
 */
final class Schema {
    /** One step of the schema, applied in the migration's transaction. */
    @FunctionalInterface
    interface Migration {
        void apply(Connection c, Statement s) throws SQLException;

        static Migration sql(String... statements) {
            return (c, s) -> {
                for (String sql : statements) {
                    s.execute(sql);
                }
            };
        }
    }

    /** The first version whose config changes hold no secret value. */
    static final int MASKED_SINCE = 2;

    /** Migration i (1-based) brings user_version from i-1 to i. Never edit one that shipped: append. */
    static final List<Migration> MIGRATIONS = List.of(Migration.sql(
            """
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY,
                agent_id TEXT NOT NULL,
                pid INTEGER NOT NULL,
                origin TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                ended_at INTEGER,
                exit_code INTEGER,
                signal TEXT,
                end_reason TEXT,
                UNIQUE (agent_id, started_at, pid))""",
            "CREATE INDEX runs_by_agent ON runs (agent_id, started_at)",
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                uid TEXT NOT NULL UNIQUE,
                time INTEGER NOT NULL,
                agent_id TEXT,
                type TEXT NOT NULL,
                message TEXT,
                details TEXT)""",
            "CREATE INDEX events_by_agent ON events (agent_id, time)",
            "CREATE INDEX events_by_time ON events (time)",
            """
            CREATE TABLE samples (
                agent_id TEXT NOT NULL,
                time INTEGER NOT NULL,
                cpu REAL NOT NULL,
                rss INTEGER NOT NULL,
                threads INTEGER NOT NULL,
                PRIMARY KEY (agent_id, time)) WITHOUT ROWID""",
            "CREATE INDEX samples_by_time ON samples (time)",
            """
            CREATE TABLE samples_1m (
                agent_id TEXT NOT NULL,
                bucket INTEGER NOT NULL,
                n INTEGER NOT NULL,
                cpu_sum REAL NOT NULL,
                cpu_max REAL NOT NULL,
                rss_sum INTEGER NOT NULL,
                rss_max INTEGER NOT NULL,
                threads_sum INTEGER NOT NULL,
                PRIMARY KEY (agent_id, bucket)) WITHOUT ROWID""",
            "CREATE INDEX rollups_by_bucket ON samples_1m (bucket)",
            """
            CREATE TABLE host_samples (
                time INTEGER PRIMARY KEY,
                cpu REAL NOT NULL,
                mem_used INTEGER NOT NULL,
                mem_total INTEGER NOT NULL,
                swap_used INTEGER NOT NULL,
                load1 REAL NOT NULL)""",
            """
            CREATE TABLE config_changes (
                id INTEGER PRIMARY KEY,
                time INTEGER NOT NULL,
                agent_id TEXT,
                change TEXT NOT NULL,
                spec TEXT)""",
            "CREATE INDEX config_changes_by_agent ON config_changes (agent_id, time)"),
            // 2: config changes say which fields changed (secrets only that they did); the specs recorded before
            // held env values in clear, so they are masked now (and the file rebuilt after, see migrate)
            (c, s) -> {
                s.execute("ALTER TABLE config_changes ADD COLUMN changes TEXT");
                ConfigHistory.maskRecordedSpecs(c);
            });

    private Schema() {
    }

    /** Settings every connection gets: WAL (readers never block the writer), a busy timeout, NORMAL sync. */
    static void configure(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("PRAGMA foreign_keys = ON");
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode = WAL")) {
                r.next();
            }
            s.execute("PRAGMA synchronous = NORMAL");
        }
    }

    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA user_version")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** Applies the migrations the database has not seen. Refuses a database from a newer AgentDeck. */
    static void migrate(Connection c) throws SQLException {
        int v = version(c);
        if (v > MIGRATIONS.size()) {
            throw new SQLException("history.db has schema version " + v + ", newer than this AgentDeck knows ("
                    + MIGRATIONS.size() + ")");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (int i = v; i < MIGRATIONS.size(); i++) {
                MIGRATIONS.get(i).apply(c, s);
                s.execute("PRAGMA user_version = " + (i + 1));
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        if (v >= 1 && v < MASKED_SINCE) {
            // Specs of older versions held env values in clear; masking their rows does not reach copies that page
            // splits left in free space, so the file is rebuilt (once), then the WAL emptied of older frames.
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }
}
