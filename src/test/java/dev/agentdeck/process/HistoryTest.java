package dev.agentdeck.process;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.history.HistorySummary;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** History kept by a real engine in a real history.db, and read back through the engine's queries. */
class HistoryTest extends EngineTestBase {

    @Test
    void runsEventsSamplesAndConfigChangesAreRecordedAndQueried() throws Exception {
        TestHome.write(home.file("settings.json"), "{\"metricsIntervalMs\": 200, \"backgroundMetricsMs\": 200}");
        home.script("crash", "sleep 0.3; echo 'lost the connection' >&2; exit 7");
        open("""
                {"version": 1, "agents": [
                  {"id": "svc", "command": "sleep", "args": ["300"]},
                  {"id": "flaky", "command": "bin/crash", "restart": {"policy": "never"}}]}
                """);
        Instant t0 = Instant.now();
        long pid = started("svc").pid();
        started("flaky");
        Await.until("flaky failed", WAIT, () -> engine.status("flaky").orElseThrow().state() == AgentState.FAILED);
        Await.until("a few samples of svc", WAIT, () -> {
            flushHistory();
            return !engine.samples("svc", t0, Instant.now(), 60).join().isEmpty();
        });
        await(engine.stop("svc"));
        flushHistory();

        List<RunRecord> runs = await(engine.runs("svc", 10));
        assertEquals(1, runs.size());
        RunRecord run = runs.get(0);
        assertEquals(pid, run.pid());
        assertEquals("managed", run.origin());
        assertTrue(run.endReason().startsWith("stopped by user"), run.endReason());
        assertTrue(run.endedAt().isAfter(run.startedAt()));
        RunRecord failed = await(engine.runs("flaky", 10)).get(0);
        assertEquals(7, failed.exitCode());
        assertEquals("exited with code 7", failed.endReason());

        List<AgentEvent> failures = await(engine.events(new EventQuery(null, List.of("failed"), t0, null, null, 50)));
        assertEquals(1, failures.size());
        assertEquals("flaky", failures.get(0).agentId());
        assertEquals(7, ((Number) failures.get(0).details().get("exitCode")).intValue());
        assertEquals(1, await(engine.events(new EventQuery("flaky", List.of(), null, null, "LOST THE", 50))).size(),
                "text search, case-insensitive, in the message");
        assertTrue(await(engine.events(new EventQuery(null, List.of(), null, t0.minusSeconds(60), null, 50))).isEmpty(),
                "nothing before the start");

        List<SamplePoint> points = await(engine.samples("svc", t0, Instant.now(), 60));
        assertFalse(points.isEmpty());
        assertTrue(points.get(0).rssMax() > 0);

        HistorySummary summary = await(engine.historySummary("svc", t0, Instant.now()));
        assertEquals(1, summary.runs());
        assertTrue(summary.uptimePercent() > 10 && summary.uptimePercent() <= 100, summary.toString());
        assertTrue(summary.rssPeak() >= summary.rssMean() && summary.rssMean() > 0, summary.toString());

        await(engine.addAgent(dev.agentdeck.core.AgentSpec.of("late", "sleep", List.of("1"))));
        flushHistory();
        assertTrue(Files.size(home.file("history.db")) > 0);
    }

    @Test
    void anExportImportsIntoAnotherHomeAndASecondImportDoublesNothing() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "svc", "command": "sleep", "args": ["300"], "tags": ["prod"]}]}
                """);
        started("svc");
        await(engine.restart("svc"));
        await(engine.stop("svc"));
        flushHistory();
        HistoryExport export = await(engine.exportAgent("svc"));
        assertEquals(2, export.runs().size());
        String json = Json.MAPPER.writeValueAsString(export);
        engine.stopAll().get();
        closeEngine();

        Path otherHome = Files.createDirectories(tmp.resolve("other"));
        reopen(dev.agentdeck.config.Workspace.home(otherHome));
        HistoryExport read = Json.MAPPER.readValue(json, HistoryExport.class);
        assertEquals("svc", await(engine.importAgent(read)).id());
        assertEquals(List.of("prod"), engine.agents().get(0).tags());
        flushHistory();
        EventQuery all = new EventQuery("svc", List.of(), null, null, null, 500);
        int afterFirst = await(engine.events(all)).size();
        // the exported events, and this engine's own "agent_added"
        assertEquals(export.events().size() + 1, afterFirst);
        await(engine.importAgent(read));
        flushHistory();
        assertEquals(2, await(engine.runs("svc", 10)).size(), "imported once, not twice");
        assertEquals(afterFirst, await(engine.events(all)).size(), "no event twice");
    }

    @Test
    void anImportOverADifferentAgentIsRefusedAndChangesNothing() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "svc", "command": "sleep", "args": ["300"]}]}
                """);
        HistoryExport export = await(engine.exportAgent("svc"));
        var changed = new HistoryExport(export.version(), export.exportedAt(), "svc",
                dev.agentdeck.config.ConfigWriter.agent(dev.agentdeck.core.AgentSpec.of("svc", "sleep", List.of("1"))),
                List.of(), List.of(), List.of());
        byte[] before = Files.readAllBytes(home.agentsFile());
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.importAgent(changed)));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
    }

    @Test
    void aDamagedHistoryFileSwitchesHistoryOffMovesTheFileAsideAndTheEngineWorks() throws Exception {
        byte[] garbage = "this is not a database, it is a diary".repeat(200).getBytes();
        Files.write(home.file("history.db"), garbage);
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
                """);
        String problem = engine.historyProblem().orElseThrow();
        assertTrue(problem.startsWith("history is off: ") && problem.contains("is damaged") && problem.contains("moved to"), problem);
        Path aside;
        try (var files = Files.list(tmp)) {
            aside = files.filter(f -> f.getFileName().toString().startsWith("history.db.corrupt-")).findFirst().orElseThrow();
        }
        assertArrayEquals(garbage, Files.readAllBytes(aside), "moved, never deleted or changed");
        assertEquals(AgentState.RUNNING, started("a").state(), "the engine works without history");
        assertTrue(await(engine.runs("a", 10)).isEmpty());
        assertTrue(engine.recentEvents(0).stream().anyMatch(ev -> ev.message().equals(problem)));
    }

    @Test
    void aRunThatEndedWhileNoEngineWatchedIsClosedAtTheNextStart() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
                """);
        long pid = started("a").pid();
        flushHistory();
        closeEngine(); // the agent keeps running, its run is open in history
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Await.until("the agent is gone", WAIT, () -> !dev.agentdeck.testutil.Procs.running(pid));
        reopen(home.workspace());
        flushHistory();
        RunRecord run = await(engine.runs("a", 10)).get(0);
        assertEquals(pid, run.pid());
        assertTrue(run.endReason().startsWith("ended while no AgentDeck engine was running"), run.endReason());
        assertNull(run.exitCode());
        assertTrue(Duration.between(run.startedAt(), run.endedAt()).toMillis() >= 0);
    }
}
