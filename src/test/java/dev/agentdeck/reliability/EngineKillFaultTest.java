package dev.agentdeck.reliability;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Origin;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.ServeProcess;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: {@code agentdeck serve} is killed with signal 9 while its agents run and while history is being written
 * (a crash loop's ~100 events a second, and samples, in flight). A new engine adopts every agent (the same
 * PIDs, one copy each, none started twice), the history file is intact, and at most its last batch is lost.
 */
@Tag("reliability")
class EngineKillFaultTest {
    /** The history writer commits what gathered in one second; the second added is room for that commit. */
    private static final long LAST_BATCH_MS = 2_000;
    private static final Map<String, String> ARGS = Map.of("a", "3601", "b", "3602", "tree", "3603");
    @TempDir
    Path tmp;
    private EngineFixture fx;
    private Process serve;

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (serve != null) {
                serve.destroyForcibly();
            }
        } finally {
            fx.close();
        }
    }

    /** Every live process on the machine that runs {@code sleep ARG} (by any path to sleep). */
    private static List<Long> sleeping(String arg) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] argv = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
                    boolean match = argv.length == 2 && (argv[0].equals("sleep") || argv[0].endsWith("/sleep")) && argv[1].equals(arg);
                    if (match && Procs.running(Long.parseLong(name))) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        }
        return out;
    }

    private static long count(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet r = c.createStatement().executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    @Test
    void afterAKillNineMidWriteEveryAgentIsAdoptedOnceAndHistoryLosesAtMostTheLastBatch() throws Exception {
        fx = new EngineFixture(tmp);
        TestHome home = fx.home;
        TestHome.write(home.file("settings.json"), "{\"backgroundMetricsMs\": 100}");
        home.script("tree", "sleep " + ARGS.get("tree") + " &\nwait");
        home.script("crash", "exit 1");
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["%s"], "autostart": true, "restart": {"delayMs": 50}},
                  {"id": "b", "command": "sleep", "args": ["%s"], "autostart": true},
                  {"id": "tree", "command": "bin/tree", "autostart": true},
                  {"id": "churn", "command": "bin/crash", "autostart": true,
                   "restart": {"delayMs": 20, "maxDelayMs": 20, "burst": 1000000, "windowSec": 1}}]}
                """.formatted(ARGS.get("a"), ARGS.get("b")));
        serve = ServeProcess.start(home.dir(), home.file("serve.out"), List.of(), "--api-port", "0");
        fx.note(serve.pid());
        Await.until("serve started its agents", Await.LONG, () -> Stream.of("a", "b", "tree")
                .allMatch(id -> Files.exists(home.file("run/" + id + ".pid"))));
        Map<String, Long> pids = new HashMap<>();
        for (String id : ARGS.keySet()) {
            pids.put(id, Json.MAPPER.readTree(home.file("run/" + id + ".pid").toFile()).get("pid").asLong());
            fx.note(pids.get(id));
        }
        long treeChild = Await.value("tree's child runs", EngineFixture.WAIT,
                () -> ProcessHandle.of(pids.get("tree")).flatMap(h -> h.children().findFirst()).map(ProcessHandle::pid).orElse(-1L),
                p -> p > 0);
        fx.note(treeChild);
        Path db = home.file("history.db");
        Await.until("history is being written: a few batches of the crash loop's events and samples", Await.LONG,
                () -> count(db, "SELECT count(*) FROM events") > 200 && count(db, "SELECT count(*) FROM samples") > 0);

        long killedAt = System.currentTimeMillis();
        serve.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
        serve.waitFor();
        for (String id : ARGS.keySet()) {
            assertTrue(Procs.running(pids.get(id)), id + " outlives the engine");
        }

        // the file as the killed engine left it
        String run;
        List<Long> seqs = new ArrayList<>();
        long lastEvent;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            ResultSet ok = c.createStatement().executeQuery("PRAGMA integrity_check");
            ok.next();
            assertEquals("ok", ok.getString(1));
            ResultSet r = c.createStatement().executeQuery("SELECT uid FROM events ORDER BY id");
            List<String> uids = new ArrayList<>();
            while (r.next()) {
                uids.add(r.getString(1));
            }
            run = uids.get(0).substring(0, uids.get(0).lastIndexOf(':'));
            for (String uid : uids) {
                assertTrue(uid.startsWith(run + ":"), "one engine run so far: " + uid);
                seqs.add(Long.parseLong(uid.substring(run.length() + 1)));
            }
            lastEvent = count(db, "SELECT max(time) FROM events");
        }
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "events are whole batches in order, no hole: " + seqs.size() + " events");
        }
        assertTrue(lastEvent >= killedAt - LAST_BATCH_MS, "events of the last batch at most lost: the newest is "
                + (killedAt - lastEvent) + " ms before the kill (the crash loop made events until then)");

        // a new engine adopts every agent, and its autostart starts none twice
        LocalEngine engine = fx.open(null);
        fx.await(engine.startAutostart());
        fx.await(engine.stop("churn")); // the crash loop has done its part
        for (String id : ARGS.keySet()) {
            AgentStatus s = engine.status(id).orElseThrow();
            assertEquals(AgentState.RUNNING, s.state(), id);
            assertEquals(Origin.ADOPTED, s.origin(), id);
            assertEquals(pids.get(id), s.pid(), id + " is the same process");
            assertEquals(List.of(id.equals("tree") ? treeChild : pids.get(id)), sleeping(ARGS.get(id)),
                    id + ": one copy on the whole machine");
        }
        engine.flushHistory();
        assertTrue(count(db, "SELECT count(*) FROM events WHERE uid NOT LIKE '" + run + ":%'") > 0,
                "the new engine writes on into the same file");

        // supervision resumes: an adopted agent that dies is restarted by its policy
        ProcessHandle.of(pids.get("a")).ifPresent(ProcessHandle::destroyForcibly);
        AgentStatus restarted = Await.value("a restarted", EngineFixture.WAIT, () -> engine.status("a").orElseThrow(),
                s -> s.state() == AgentState.RUNNING && s.pid() != null && !s.pid().equals(pids.get("a")));
        fx.note(restarted.pid());
        assertEquals(Origin.MANAGED, restarted.origin());
        // and a stop of an adopted tree ends the whole tree
        fx.await(engine.stop("tree"));
        assertTrue(!Procs.running(pids.get("tree")) && !Procs.running(treeChild), "the adopted tree is gone");
    }
}
