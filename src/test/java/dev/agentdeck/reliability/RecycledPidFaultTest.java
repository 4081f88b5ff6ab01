package dev.agentdeck.reliability;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: an agent's PID file outlived it and its PID now belongs to an unrelated program (a recycled PID). That
 * program must never get a signal from the engine: not at discovery, nor through stop, stop-all, restart, and the
 * engine's exit with stopAllOnExit.
 */
@Tag("reliability")
class RecycledPidFaultTest {
    @TempDir
    Path tmp;
    private EngineFixture fx;
    private final List<Process> strangers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new EngineFixture(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            fx.close();
        } finally {
            strangers.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
            strangers.forEach(Process::destroyForcibly);
        }
    }

    /**
     * A program of its own session and group (as a recycled PID usually is) that writes down every catchable
     * signal it gets; KILL and STOP show in /proc.
     */
    private long startStranger(Path signals) throws Exception {
        String traps = String.join("; ", List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "CONT").stream()
                .map(s -> "trap 'echo " + s + " >> " + signals + "' " + s).toList());
        Process p = new ProcessBuilder("setsid", "sh", "-c", traps + "; while :; do sleep 0.2; done")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        strangers.add(p);
        // setsid runs in place (a child of this JVM leads no group), so the stranger leads its own session and group:
        // a signal to the group in its PID file would reach it
        Await.until("the stranger leads its own group", EngineFixture.WAIT, () -> Procs.pgid(p.pid()) == p.pid());
        return p.pid();
    }

    private static long startTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    private void assertUntouched(long pid, Path signals, String after) {
        assertTrue(Procs.running(pid), "still running after " + after);
        assertNotEquals('T', Procs.state(pid), "not stopped after " + after);
        assertFalse(Files.exists(signals), "no signal after " + after + ": " + fx.home.read(signals.getFileName().toString()));
    }

    @Test
    void aRecycledPidIsNeverSignalledThroughDiscoveryStopStopAllRestartOrEngineExit() throws Exception {
        TestHome home = fx.home;
        Path webSignals = home.file("web.signals");
        Path workerSignals = home.file("worker.signals");
        long web = startStranger(webSignals);
        long worker = startStranger(workerSignals);
        home.script("web", "exec sleep 300");
        home.script("worker", "exec sleep 301");
        Files.createDirectories(home.file("run"));
        // web's file is AgentDeck's own, from this boot, naming the stranger's group: only its start ticks differ
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        Files.writeString(home.file("run/web.pid"), Json.compact(Map.of("pid", web, "startTime", "2026-01-01T00:00:00Z",
                "commandLine", home.file("bin/web").toString(), "agentId", "web", "startTicks", startTicks(web) - 1,
                "bootId", bootId, "pgid", web)));
        // worker's is a bare integer, as other tools write them
        Files.writeString(home.file("run/worker.pid"), worker + "\n");
        TestHome.write(home.file("settings.json"), "{\"stopAllOnExit\": true}");

        LocalEngine engine = fx.open("""
                {"version": 1, "agents": [
                  {"id": "web", "command": "bin/web", "restart": {"policy": "always", "delayMs": 50}},
                  {"id": "worker", "command": "bin/worker"}]}
                """);
        for (String id : List.of("web", "worker")) {
            assertEquals(AgentState.STOPPED, engine.status(id).orElseThrow().state(), id + " not adopted");
            assertFalse(Files.exists(home.file("run/" + id + ".pid")), id + "'s stale file moved aside");
        }
        try (var files = Files.list(home.file("run"))) {
            assertEquals(2, files.filter(f -> f.getFileName().toString().contains(".pid.stale-")).count(), "kept, not deleted");
        }
        AgentEvent stale = engine.recentEvents(0).stream()
                .filter(e -> "web".equals(e.agentId()) && e.type() == EventType.PID_FILE_STALE).findFirst().orElseThrow();
        assertTrue(stale.message().contains("PID " + web + " is now another process (it started at another time)"), stale.message());
        assertUntouched(web, webSignals, "discovery");
        assertUntouched(worker, workerSignals, "discovery");

        // every path that signals an agent, first with the agents stopped, then running
        fx.await(engine.stop("web"));
        fx.await(engine.stopAll());
        long webAgent = fx.await(engine.restart("web")).pid();
        fx.note(webAgent);
        fx.note(fx.start("worker").pid());
        long restarted = fx.await(engine.restart("web")).pid();
        fx.note(restarted);
        assertFalse(Procs.running(webAgent), "the restart ended the agent's own process");
        fx.await(engine.stop("web"));
        fx.await(engine.stopAll());
        fx.note(fx.start("web").pid());
        fx.note(fx.start("worker").pid());
        // the agents' own processes end with the engine (stopAllOnExit); the strangers do not
        fx.closeEngine();
        fx.started.forEach(pid -> assertFalse(Procs.running(pid), "agent process " + pid + " stopped on exit"));
        assertUntouched(web, webSignals, "stop, stop-all, restart and engine exit");
        assertUntouched(worker, workerSignals, "stop, stop-all, restart and engine exit");
    }
}
