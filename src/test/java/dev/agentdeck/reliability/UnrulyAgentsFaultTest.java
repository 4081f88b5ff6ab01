package dev.agentdeck.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Ctl;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.ServeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: agents that do what makes process trees hard to stop, all at once: fork grandchildren, double-fork a
 * daemon into a session of its own, ignore TERM, close their stdout and stderr. A stop-all leaves nothing behind.
 * And a daemon that double-forked while no engine ran (so it went to PID 1, not to an engine) is found by the
 * identity its agent gave it, stopped with the agent's tree, and reported by PID.
 */
@Tag("reliability")
class UnrulyAgentsFaultTest {
    @TempDir
    Path tmp;
    /** The headless launcher's JVM options (serial GC, C1 only): a serve starts sooner on a busy machine. */
    private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:-UsePerfData");
    private EngineFixture fx;
    private final List<Process> serves = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            serves.forEach(Process::destroyForcibly);
        } finally {
            fx.close();
        }
    }

    private List<Long> pids(String agent) {
        try {
            return Files.readAllLines(fx.home.file("pids/" + agent)).stream().map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long parent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long session(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aStopAllLeavesNoGrandchildDaemonOrTermIgnorerBehind() throws Exception {
        fx = new EngineFixture(tmp);
        Path pids = Files.createDirectories(fx.home.file("pids"));
        // each process notes its own PID ($$) in pids/<agent> and then becomes what it is with exec
        fx.home.script("forker", """
                echo $$ >> %1$s/forker
                sh -c 'echo $$ >> %1$s/forker; sh -c "echo \\$\\$ >> %1$s/forker; exec sleep 300" & exec sleep 301' &
                sh -c 'echo $$ >> %1$s/forker; exec sleep 302' &
                wait
                """.formatted(pids));
        // the classic daemon: fork, setsid, fork again; the middle process exits, so the daemon is an orphan
        fx.home.script("daemon", """
                echo $$ >> %1$s/daemon
                ( setsid sh -c 'trap "" TERM; echo $$ >> %1$s/daemon; exec sleep 303' & )
                exec sleep 304
                """.formatted(pids));
        fx.home.script("stubborn", """
                trap '' TERM
                echo $$ >> %1$s/stubborn
                sh -c 'trap "" TERM; echo $$ >> %1$s/stubborn; while :; do sleep 1; done' &
                while :; do wait; done
                """.formatted(pids));
        fx.home.script("mute", """
                exec >&- 2>&-
                echo $$ >> %1$s/mute
                sh -c 'echo $$ >> %1$s/mute; exec sleep 305' &
                wait
                """.formatted(pids));
        LocalEngine engine = fx.open("""
                {"version": 1, "agents": [
                  {"id": "forker", "command": "bin/forker", "stop": {"timeoutSec": 1}},
                  {"id": "daemon", "command": "bin/daemon", "stop": {"timeoutSec": 1}},
                  {"id": "stubborn", "command": "bin/stubborn", "stop": {"timeoutSec": 1}},
                  {"id": "mute", "command": "bin/mute", "stop": {"timeoutSec": 1}}]}
                """);
        Map<String, Integer> processes = Map.of("forker", 4, "daemon", 2, "stubborn", 2, "mute", 2);
        for (String id : processes.keySet()) {
            fx.start(id);
        }
        for (var e : processes.entrySet()) {
            Await.until(e.getKey() + " noted its " + e.getValue() + " processes", EngineFixture.WAIT,
                    () -> pids(e.getKey()).size() == e.getValue());
            fx.started.addAll(pids(e.getKey()));
        }
        long daemon = pids("daemon").get(1);
        assertNotEquals(session(pids("daemon").get(0)), session(daemon), "the daemon left the agent's session");
        Await.until("the orphaned daemon is re-parented to the engine (a child subreaper)", EngineFixture.WAIT,
                () -> parent(daemon) == ProcessHandle.current().pid());
        for (String id : processes.keySet()) {
            AgentStatus s = engine.status(id).orElseThrow();
            assertEquals(AgentState.RUNNING, s.state(), id + " runs (a closed stdout is no exit): " + s.message());
            fx.started.forEach(pid -> assertTrue(Procs.running(pid), "process " + pid + " runs before the stop"));
        }

        long t0 = System.nanoTime();
        assertTrue(fx.await(engine.stopAll()).allOk());
        long ms = (System.nanoTime() - t0) / 1_000_000;

        long self = ProcessHandle.current().pid();
        for (long pid : fx.started) {
            assertTrue(!Procs.running(pid), "process " + pid + " is gone");
            // an orphan the engine inherited may be its zombie for a few seconds (OrphanReaper; OrphanReapTest)
            assertTrue(Procs.state(pid) == 0 || parent(pid) == self, "process " + pid + " is reaped or the engine's to reap");
        }
        engine.flushEvents();
        for (String id : processes.keySet()) {
            assertEquals(AgentState.STOPPED, engine.status(id).orElseThrow().state(), id);
            assertTrue(fx.log.events(id, EventType.ERROR).isEmpty(), id + ": " + fx.log.describe());
        }
        var stopped = fx.log.ofType(EventType.STOPPED).stream().collect(
                java.util.stream.Collectors.toMap(dev.agentdeck.core.AgentEvent::agentId, e -> e.details()));
        assertEquals(true, stopped.get("stubborn").get("escalated"), "TERM ignored: KILL at the timeout");
        assertEquals(true, stopped.get("daemon").get("escalated"), "the daemon ignored TERM: KILL at the timeout");
        assertEquals(false, stopped.get("forker").get("escalated"), "the forker's tree ended on TERM");
        assertEquals(List.of(Map.of("pid", daemon, "name", "sleep", "survived", false)), stopped.get("daemon").get("escaped"),
                "the daemon, re-parented to the engine, is named as a process that had left the tree");
        assertEquals(null, stopped.get("forker").get("escaped"), "the forker's grandchildren never left its tree");
        System.out.println("stop-all took " + ms + " ms");
        assertTrue(ms < 3000, "all stopped within the 1 s timeout plus scans: " + ms + " ms");
    }

    /** The agent's last STOPPED event as history.db holds it: message and details. */
    private static JsonNode stoppedEvent(Path db, String agent) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); PreparedStatement q = c.prepareStatement(
                "SELECT message, details FROM events WHERE agent_id = ? AND type = 'stopped' ORDER BY id DESC LIMIT 1")) {
            q.setString(1, agent);
            ResultSet r = q.executeQuery();
            assertTrue(r.next(), "a STOPPED event of " + agent + " in " + db);
            ObjectNode o = Json.MAPPER.createObjectNode().put("message", r.getString(1));
            o.set("details", Json.MAPPER.readTree(r.getString(2)));
            return o;
        }
    }

    private static JsonNode json(Ctl c) {
        try {
            return Json.MAPPER.readTree(c.out());
        } catch (IOException e) {
            throw new AssertionError("ctl printed no JSON (exit " + c.exit() + "): " + c.out() + c.err(), e);
        }
    }

    /** A {@code sleep 306} started here, with the identity variables given (none when both are null). */
    private Process sleeper(String agentId, String dataDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("sleep", "306").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("AGENTDECK_AGENT_ID");
        pb.environment().remove("AGENTDECK_DATA_DIR");
        if (agentId != null) {
            pb.environment().put("AGENTDECK_AGENT_ID", agentId);
            pb.environment().put("AGENTDECK_DATA_DIR", dataDir);
        }
        Process p = pb.start();
        fx.note(p.pid());
        return p;
    }

    private Process serve(String name) throws IOException {
        Process p = ServeProcess.start(fx.home.dir(), fx.home.file(name + ".out"), SMALL_JVM, "--api-port", "0");
        serves.add(p);
        fx.note(p.pid());
        return p;
    }

    /**
     * Engine A (a real serve) starts the agent, then exits leaving it running; only then does the agent
     * double-fork a daemon into a session of its own, so no engine is its subreaper: it goes to PID 1 (or to a
     * subreaper above; never to engine B, a second serve). Engine B adopts the agent and stops it: the daemon is
     * found by the identity in its environment, stopped too, and named by PID in the STOPPED event. Sleepers with
     * the same command line but no identity, another workspace's identity, or this identity but started before
     * the run, are left alone. Both engines are serves, so this JVM's own subreaper state does not matter.
     */
    @Test
    void aDaemonThatEscapedWhileNoEngineRanIsStoppedWithItsAgentAndReportedByPid() throws Exception {
        long t0 = System.nanoTime();
        fx = new EngineFixture(tmp);
        Path pids = Files.createDirectories(fx.home.file("pids"));
        String dataDir = fx.home.workspace().dataDir().toString();
        // this agent's identity, but started before its run: an earlier run's leftover, say
        Process earlier = sleeper("keeper", dataDir);
        fx.home.script("keeper", """
                echo $$ > %1$s/keeper
                while [ ! -e %1$s/trigger ]; do sleep 0.02; done
                ( setsid sh -c 'echo $$ > %1$s/daemon.part; mv %1$s/daemon.part %1$s/daemon; exec sleep 306' & )
                sleep 307 &
                wait
                """.formatted(pids));
        fx.home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "keeper", "command": "bin/keeper", "autostart": true, "stop": {"timeoutSec": 5}}]}
                """);
        Process a = serve("serve-a");
        long keeper = Await.value("engine A started the agent", Await.LONG, () -> Procs.readPid(pids.resolve("keeper")), p -> p > 0);
        fx.note(keeper);
        a.destroy(); // TERM: the serve exits and leaves its agents running
        assertTrue(a.waitFor(20, TimeUnit.SECONDS), "engine A exited");
        assertTrue(Procs.running(keeper), "the agent outlives engine A");

        // no engine runs: the agent double-forks its daemon now
        Files.createFile(pids.resolve("trigger"));
        long daemon = Await.value("the agent double-forked its daemon", EngineFixture.WAIT,
                () -> Procs.readPid(pids.resolve("daemon")), p -> p > 0);
        fx.note(daemon);
        Process b = serve("serve-b");
        Process stranger = sleeper(null, null);
        Process otherWorkspace = sleeper("keeper", tmp.resolve("elsewhere").toString());
        assertNotEquals(session(keeper), session(daemon), "the daemon left the agent's session");
        long daemonParent = Await.value("the daemon is an orphan", EngineFixture.WAIT, () -> parent(daemon), p -> p != keeper && p > 0);

        JsonNode adopted = Await.value("engine B adopted the agent", Await.LONG, () -> {
            Ctl c = Ctl.run(fx.home.dir(), "--json", "status", "keeper");
            return c.exit() == 0 ? json(c).get(0) : null;
        }, n -> n != null && n.path("pid").asLong() == keeper);
        assertEquals("running", adopted.path("status").asText(), adopted.toString());
        assertEquals(daemonParent, parent(daemon), "still where it was re-parented");
        assertTrue(daemonParent != b.pid() && daemonParent != a.pid(), "no engine is the daemon's parent: " + daemonParent);
        assertTrue(Procs.running(daemon), "the daemon runs before the stop");

        long stopAt = System.nanoTime();
        Ctl stop = Ctl.run(fx.home.dir(), "stop", "keeper");
        long stopMs = (System.nanoTime() - stopAt) / 1_000_000;
        assertEquals(0, stop.exit(), stop.out() + stop.err());
        assertTrue(!Procs.running(keeper) && !Procs.running(daemon), "the agent and its escaped daemon are gone");
        assertTrue(stopMs < 2_000, "the daemon ended on TERM, well before the 5 s timeout: " + stopMs + " ms");
        for (Process p : List.of(earlier, stranger, otherWorkspace)) {
            assertTrue(p.isAlive(), "PID " + p.pid() + " (no identity, another workspace's, or older than the run) is untouched");
        }
        String expected = "stopped 1 process that had left the tree: PID " + daemon + " (sleep)";
        JsonNode after = json(Ctl.run(fx.home.dir(), "--json", "status", "keeper")).get(0);
        assertEquals("stopped", after.path("status").asText(), after.toString());
        assertTrue(after.path("message").asText().endsWith(expected), after.toString());

        b.destroy(); // the serve's close writes the last batch of history
        assertTrue(b.waitFor(20, TimeUnit.SECONDS), "engine B exited");
        JsonNode event = stoppedEvent(fx.home.workspace().historyDb(), "keeper");
        assertTrue(event.path("message").asText().endsWith(expected), event.toString());
        JsonNode escaped = event.path("details").path("escaped");
        assertEquals(1, escaped.size(), event.toString());
        assertEquals(daemon, escaped.get(0).path("pid").asLong(), event.toString());
        assertEquals("sleep", escaped.get(0).path("name").asText(), event.toString());
        assertEquals(false, escaped.get(0).path("survived").asBoolean(), event.toString());
        for (Process p : List.of(earlier, stranger, otherWorkspace)) {
            p.destroyForcibly().waitFor();
        }
        System.out.println("STOPPED: " + event);
        System.out.println("escaped daemon's parent " + daemonParent + " (this JVM " + ProcessHandle.current().pid()
                + "); stop " + stopMs + " ms; the test took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
