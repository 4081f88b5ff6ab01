package dev.agentdeck.reliability;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: agents that do what makes process trees hard to stop, all at once: fork grandchildren, double-fork a
 * daemon into a session of its own, ignore TERM, close their stdout and stderr. A stop-all leaves nothing behind.
 */
@Tag("reliability")
class UnrulyAgentsFaultTest {
    @TempDir
    Path tmp;
    private EngineFixture fx;

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
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
        System.out.println("stop-all took " + ms + " ms");
        assertTrue(ms < 3000, "all stopped within the 1 s timeout plus scans: " + ms + " ms");
    }
}
