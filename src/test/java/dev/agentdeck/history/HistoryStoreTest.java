package dev.agentdeck.history;

import dev.agentdeck.core.Usage;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryStoreTest {
    @TempDir
    Path tmp;

    private HistoryStore open(HistorySettings settings) {
        HistoryStore s = HistoryStore.open(tmp.resolve("history.db"), settings, p -> {
        });
        assertTrue(s.enabled(), s.problem().orElse(""));
        return s;
    }

    @Test
    void theSchemaIsVersionedAndStoredInWalMode() throws Exception {
        try (HistoryStore s = open(HistorySettings.DEFAULT)) {
            s.flush().join();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("history.db"))) {
            ResultSet r = c.createStatement().executeQuery("PRAGMA user_version");
            r.next();
            assertEquals(Schema.MIGRATIONS.size(), r.getInt(1));
            ResultSet j = c.createStatement().executeQuery("PRAGMA journal_mode");
            j.next();
            assertEquals("wal", j.getString(1));
        }
    }

    @Test
    void retentionRemovesOldRawSamplesRollupsAndRecords() throws Exception {
        try (HistoryStore s = open(new HistorySettings(Duration.ofHours(1), Duration.ofDays(2), Duration.ofDays(2)))) {
            Instant now = Instant.now();
            s.sample("a", now.minus(Duration.ofHours(3)), new Usage(10, 100, 1, 0));
            s.sample("a", now.minus(Duration.ofDays(3)), new Usage(10, 100, 1, 0));
            s.sample("a", now, new Usage(20, 200, 1, 0));
            s.runStarted("a", 42, "managed", now.minus(Duration.ofDays(5)));
            s.runEnded("a", 42, dev.agentdeck.core.ExitInfo.fromExitCode(0, now.minus(Duration.ofDays(4)), 1, null, ""));
            s.flush().join();
            assertEquals(3, s.count("samples"));
            assertEquals(3, s.count("samples_1m"));
            s.cleanup();
            s.flush().join();
            assertEquals(1, s.count("samples"), "raw samples older than an hour are gone");
            assertEquals(2, s.count("samples_1m"), "the 3-hour-old minute stays as a rollup, the 3-day-old one goes");
            assertEquals(0, s.count("runs"));
        }
    }

    @Test
    void chartQueriesUseRawSamplesForTheLastHourAndRollupsBeyond() throws Exception {
        try (HistoryStore s = open(new HistorySettings(Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(30)))) {
            Instant now = Instant.now();
            for (int i = 0; i < 24 * 60; i++) {
                s.sample("a", now.minus(Duration.ofMinutes(i)), new Usage(i % 10 == 0 ? 90 : 10, 1000, 2, 0));
            }
            s.flush().join();
            List<SamplePoint> day = s.samples("a", now.minus(Duration.ofHours(24)), now.plusSeconds(1), 96);
            assertTrue(day.size() <= 97 && day.size() >= 90, "about 96 points for a day: " + day.size());
            assertTrue(day.stream().allMatch(p -> p.cpuMax() == 90), "each 15-minute bucket keeps its peak");
            List<SamplePoint> hour = s.samples("a", now.minus(Duration.ofMinutes(30)), now.plusSeconds(1), 300);
            assertEquals(31, hour.size(), "one raw sample a minute over 30 minutes");
        }
    }

    @Test
    void aKillNineDuringHeavyWritesLosesAtMostTheBatchInFlightAndLeavesAnIntactDatabase() throws Exception {
        Path db = tmp.resolve("crash.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                HistoryCrashProbe.class.getName(), db.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicLong committed = new AtomicLong();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line; (line = out.readLine()) != null; ) {
                    committed.set(Long.parseLong(line.substring("committed ".length())));
                }
            } catch (Exception e) {
                // the child is gone
            }
        });
        reader.start();
        try {
            Await.until("the child has committed 30,000 samples", Await.LONG, () -> committed.get() >= 30_000);
            child.destroyForcibly(); // SIGKILL, mid-write
            child.waitFor();
        } finally {
            child.destroyForcibly();
        }
        reader.join(5_000);
        long known = committed.get();
        try (HistoryStore s = HistoryStore.open(db, HistorySettings.DEFAULT, p -> {
        })) {
            assertTrue(s.enabled(), s.problem().orElse(""));
            assertEquals("ok", s.integrityCheck());
            long rows = s.count("samples");
            assertTrue(rows >= known, "nothing reported committed is lost: " + rows + " < " + known);
            assertTrue(rows <= known + HistoryCrashProbe.CHUNK, "at most the chunk in flight was lost: " + rows + " vs " + known);
        }
    }

    private static final String SECRET = "hist-secret-4711";
    private static final String URL_PASSWORD = "hist-url-pw-88";

    private static com.fasterxml.jackson.databind.JsonNode clearSpec() throws Exception {
        return dev.agentdeck.config.Json.MAPPER.readTree("""
                {"id": "a", "command": "sleep", "env": {"API_KEY": "%s", "DATABASE_URL": "postgres://app:%s@db/app",
                 "MODE": "prod"}}""".formatted(SECRET, URL_PASSWORD));
    }

    /** Every byte of the database and its WAL and shared-memory files, as one Latin-1 string to search. */
    private String rawBytes() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = tmp.resolve("history.db" + suffix);
            if (java.nio.file.Files.exists(f)) {
                b.append(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    private List<String> recordedSpecs() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("history.db"));
             ResultSet r = c.createStatement().executeQuery("SELECT spec, changes FROM config_changes ORDER BY id")) {
            while (r.next()) {
                out.add(r.getString(1) + " " + r.getString(2));
            }
        }
        return out;
    }

    @Test
    void aConfigChangeIsRecordedMaskedAndTheFilesArePrivate() throws Exception {
        try (HistoryStore s = open(HistorySettings.DEFAULT)) {
            s.configChanged("a", "agent_changed", clearSpec(), null);
            s.flush().join();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path f = tmp.resolve("history.db" + suffix);
                assertTrue(java.nio.file.Files.exists(f), f + " exists while the store is open");
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(f)), f + " is private from its creation");
            }
            String raw = rawBytes();
            assertFalse(raw.contains(SECRET) || raw.contains(URL_PASSWORD), "no secret in history.db, -wal or -shm");
        }
        String spec = recordedSpecs().get(0);
        assertTrue(spec.contains("\"API_KEY\":\"" + dev.agentdeck.core.Secrets.MASK + "\""), spec);
        assertTrue(spec.contains("postgres://app:" + dev.agentdeck.core.Secrets.MASK + "@db/app"), spec);
        assertTrue(spec.contains("\"MODE\":\"prod\""), spec);
    }

    @Test
    void specsAnOlderAgentDeckRecordedInClearAreMaskedAndTheirBytesGone() throws Exception {
        Path db = tmp.resolve("history.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Schema.configure(c);
            try (java.sql.Statement st = c.createStatement()) {
                Schema.MIGRATIONS.get(0).apply(c, st); // the schema as version 1 shipped it
                st.execute("PRAGMA user_version = 1");
                for (int i = 0; i < 50; i++) {
                    st.execute("INSERT INTO config_changes (time, agent_id, change, spec) VALUES (" + i + ", 'a', "
                            + "'agent_changed', '" + clearSpec().toString().replace("'", "''") + "')");
                }
                st.execute("INSERT INTO config_changes (time, agent_id, change, spec) VALUES (99, 'a', 'agent_changed', "
                        + "'not json " + SECRET + "')");
            }
            assertTrue(rawBytes().contains(SECRET), "the old database held the secret");
        }
        try (HistoryStore s = open(HistorySettings.DEFAULT)) {
            s.flush().join();
            String raw = rawBytes();
            assertFalse(raw.contains(SECRET), "the secret's bytes are gone from history.db and its WAL");
            assertFalse(raw.contains(URL_PASSWORD), "so are the URL's password's");
        }
        List<String> specs = recordedSpecs();
        assertEquals(51, specs.size(), "every change is still recorded");
        assertTrue(specs.get(0).contains("postgres://app:" + dev.agentdeck.core.Secrets.MASK + "@db/app"), specs.get(0));
        assertEquals("null null", specs.get(50), "a spec that cannot be read cannot be vouched for: dropped");
    }
}
