package dev.agentdeck.process;

import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dependency conditions, ready lines and outside edits of agents.json (log rotation: reliability.LogFloodFaultTest). */
class ConditionsAndFilesTest extends EngineTestBase {

    @Test
    void aHealthyDependencyHoldsItsDependentBackUntilItsProbePasses() throws Exception {
        Files.createDirectories(home.file("db"));
        open("""
                {"version": 1, "agents": [
                  {"id": "db", "command": "sleep", "args": ["300"], "cwd": "db",
                   "healthCheck": {"type": "command", "command": ["test", "-f", "up"], "intervalMs": 100, "failureThreshold": 1}},
                  {"id": "api", "command": "sleep", "args": ["300"], "dependsOn": [{"id": "db", "condition": "healthy"}]}]}
                """);
        CompletableFuture<BulkResult> all = engine.startAll();
        Await.until("db is running but unhealthy", WAIT, () -> engine.status("db").orElseThrow().health() == Health.UNHEALTHY);
        engine.statuses().forEach(s -> started.add(s.pid()));
        assertEquals(AgentState.STOPPED, engine.status("api").orElseThrow().state(), "api waits");
        assertFalse(all.isDone());
        Files.writeString(home.file("db/up"), "");
        BulkResult result = all.get(10, TimeUnit.SECONDS);
        assertTrue(result.allOk(), result.toString());
        started.add(engine.status("api").orElseThrow().pid());
        flushEvents();
        long dbHealthy = log.events("db", EventType.HEALTH_CHECK_PASSED).get(0).seq();
        long apiSpawned = log.events("api", EventType.SPAWNED).get(0).seq();
        assertTrue(dbHealthy < apiSpawned, "api started only after db turned healthy");
    }

    @Test
    void aDependencyThatNeverMeetsItsConditionSkipsTheDependentWithTheReasonAtTheTimeout() throws Exception {
        TestHome.write(home.file("settings.json"), "{\"dependencyTimeoutSec\": 1}");
        open("""
                {"version": 1, "agents": [
                  {"id": "db", "command": "sleep", "args": ["300"],
                   "healthCheck": {"type": "command", "command": ["false"], "intervalMs": 100, "failureThreshold": 1}},
                  {"id": "api", "command": "sleep", "args": ["300"], "dependsOn": [{"id": "db", "condition": "healthy"}]}]}
                """);
        BulkResult result = engine.startAll().get(10, TimeUnit.SECONDS);
        engine.statuses().forEach(s -> started.add(s.pid()));
        BulkResult.Item api = result.items().stream().filter(i -> i.id().equals("api")).findFirst().orElseThrow();
        assertFalse(api.ok());
        assertEquals("skipped: waited 1 s for dependency \"db\" to become healthy; it is RUNNING, health UNHEALTHY",
                api.message());
    }

    @Test
    void aCompletedDependencyRunsASetupJobToItsEndFirst() throws Exception {
        home.script("setup", "sleep 0.3; echo done > \"$1\"");
        open("""
                {"version": 1, "agents": [
                  {"id": "migrate", "command": "bin/setup", "args": ["%s"], "restart": {"policy": "never"}},
                  {"id": "app", "command": "sleep", "args": ["300"], "dependsOn": [{"id": "migrate", "condition": "completed"}]}]}
                """.formatted(home.file("migrated")));
        BulkResult result = engine.startAll().get(10, TimeUnit.SECONDS);
        started.add(engine.status("app").orElseThrow().pid());
        assertTrue(result.allOk(), result.toString());
        assertEquals(AgentState.EXITED, engine.status("migrate").orElseThrow().state());
        assertTrue(Files.exists(home.file("migrated")));
    }

    @Test
    void readyLogLineMarksTheAgentReadyAndGatesItsDependents() throws Exception {
        home.script("server", "sleep 0.4; echo 'INFO listening on port 8080'; sleep 300");
        open("""
                {"version": 1, "agents": [
                  {"id": "server", "command": "bin/server", "readyLogLine": "listening on port \\\\d+"},
                  {"id": "client", "command": "sleep", "args": ["300"], "dependsOn": ["server"]}]}
                """);
        AgentStatus running = started("server");
        assertEquals(AgentState.RUNNING, running.state());
        assertFalse(running.ready(), "verified but not ready before the line");
        Await.until("ready", WAIT, () -> engine.status("server").orElseThrow().ready());
        flushEvents();
        AgentEvent ready = log.events("server", EventType.READY).get(0);
        assertEquals("ready: INFO listening on port 8080", ready.message());
        await(engine.stop("server"));

        BulkResult all = engine.startAll().get(10, TimeUnit.SECONDS);
        engine.statuses().forEach(s -> started.add(s.pid()));
        assertTrue(all.allOk(), all.toString());
        flushEvents();
        AgentEvent secondReady = log.events("server", EventType.READY).get(1);
        assertTrue(secondReady.seq() < log.events("client", EventType.SPAWNED).get(0).seq(), "client waited for the line");
    }

    @Test
    void anOutsideEditAddsAnAgentWithoutRestartingTheOthers() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["300"]}]}
                """);
        long a = started("a").pid();
        long b = started("b").pid();
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["600"]},
                  {"id": "c", "command": "sleep", "args": ["300"]}]}
                """);
        Await.until("c appears", WAIT, () -> engine.status("c").isPresent());
        Await.until("b is marked changed", WAIT, () -> engine.status("b").orElseThrow().changed());
        assertEquals(a, engine.status("a").orElseThrow().pid(), "a untouched");
        assertFalse(engine.status("a").orElseThrow().changed());
        assertEquals(b, engine.status("b").orElseThrow().pid(), "b keeps running until restarted");
        assertEquals(AgentState.STOPPED, engine.status("c").orElseThrow().state());
        Await.until("the reload is reported", WAIT, () -> {
            flushEvents();
            return log.ofType(EventType.CONFIG_RELOADED).size() == 1;
        });
        assertEquals(1, log.events("c", EventType.AGENT_ADDED).size());
        assertEquals(java.util.List.of("c"), log.ofType(EventType.CONFIG_RELOADED).get(0).details().get("added"));
    }

    @Test
    void anInvalidOutsideEditIsReportedAndChangesNothing() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
                """);
        long a = started("a").pid();
        home.agentsJson("{\"version\": 1, \"agents\": [{\"id\": \"a\", \"comand\": \"sleep\"}]}");
        byte[] edited = Files.readAllBytes(home.agentsFile());
        Await.until("the problem is reported", WAIT, () -> {
            flushEvents();
            return !log.ofType(EventType.CONFIG_INVALID).isEmpty();
        });
        AgentEvent invalid = log.ofType(EventType.CONFIG_INVALID).get(0);
        assertTrue(invalid.details().get("problems").toString().contains("unknown field \"comand\""), invalid.toString());
        assertEquals(a, engine.status("a").orElseThrow().pid());
        assertEquals("sleep", engine.agents().get(0).command());
        // and the engine will not overwrite the user's edit
        var refused = engine.addAgent(dev.agentdeck.core.AgentSpec.of("b", "sleep", java.util.List.of()));
        assertInstanceOf(EngineException.class, failure(refused));
        assertArrayEquals(edited, Files.readAllBytes(home.agentsFile()));
    }

    @Test
    void removingARunningAgentInTheFileKeepsItRunningUntilItIsStopped() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "gone", "command": "sleep", "args": ["300"]}]}
                """);
        long gone = started("gone").pid();
        home.agentsJson("{\"version\": 1, \"agents\": [{\"id\": \"a\", \"command\": \"sleep\", \"args\": [\"300\"]}]}");
        Await.until("marked as removed", WAIT, () -> engine.status("gone").map(AgentStatus::removed).orElse(false));
        assertTrue(Procs.running(gone), "not stopped without a confirmation");
        await(engine.removeAgent("gone"));
        assertFalse(Procs.running(gone));
        assertTrue(engine.status("gone").isEmpty());
        assertEquals(1, ConfigReader.read(Files.readAllBytes(home.agentsFile()), "agents.json").agents().size());
    }
}
