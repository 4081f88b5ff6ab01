package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-all and stop-all: dependency order, failures, and many agents leaving nothing behind. */
class BulkTest extends EngineTestBase {

    private long seqOf(String id, EventType type) {
        List<AgentEvent> events = log.events(id, type);
        assertEquals(1, events.size(), id + " " + type + " in " + log.describe());
        return events.get(0).seq();
    }

    @Test
    void startAllFollowsDependenciesAndStopAllReversesThem() throws Exception {
        // db <- api <- web ; worker independent
        open("""
                {"version": 1, "agents": [
                  {"id": "web", "command": "sleep", "args": ["300"], "dependsOn": ["api"]},
                  {"id": "worker", "command": "sleep", "args": ["300"]},
                  {"id": "api", "command": "sleep", "args": ["300"], "dependsOn": ["db"]},
                  {"id": "db", "command": "sleep", "args": ["300"]}]}
                """);
        BulkResult started = await(engine.startAll());
        engine.statuses().forEach(s -> this.started.add(s.pid()));
        assertTrue(started.allOk(), started.toString());
        flushEvents();
        // a dependent is only launched after its dependency was verified running
        assertTrue(seqOf("db", EventType.SPAWNED) < firstStartingOf("api"), log.describe().toString());
        assertTrue(seqOf("api", EventType.SPAWNED) < firstStartingOf("web"), log.describe().toString());
        // the independent worker did not wait for the chain
        assertTrue(seqOf("worker", EventType.SPAWNED) < seqOf("web", EventType.SPAWNED), log.describe().toString());

        BulkResult stopped = await(engine.stopAll());
        assertTrue(stopped.allOk(), stopped.toString());
        flushEvents();
        assertTrue(seqOf("web", EventType.STOPPED) < seqOf("api", EventType.STOPPED), log.describe().toString());
        assertTrue(seqOf("api", EventType.STOPPED) < seqOf("db", EventType.STOPPED), log.describe().toString());
        engine.statuses().forEach(s -> assertEquals(AgentState.STOPPED, s.state()));
    }

    /** The sequence number of the first event after which the agent was launched: its STARTING status precedes SPAWNED. */
    private long firstStartingOf(String id) {
        // The STARTING status is published just before the launch; the engine publishes SPAWNED after the
        // grace period. Events of the dependency must all precede any event of the dependent.
        return log.events().stream().filter(e -> id.equals(e.agentId())).mapToLong(AgentEvent::seq).min().orElseThrow();
    }

    @Test
    void aFailedDependencySkipsItsDependents() throws Exception {
        home.script("crash", "echo broken >&2; exit 2");
        open("""
                {"version": 1, "agents": [
                  {"id": "db", "command": "bin/crash", "restart": {"policy": "never"}},
                  {"id": "api", "command": "sleep", "args": ["300"], "dependsOn": ["db"]},
                  {"id": "other", "command": "sleep", "args": ["300"]}]}
                """);
        BulkResult result = await(engine.startAll());
        engine.statuses().stream().map(AgentStatus::pid).filter(java.util.Objects::nonNull).forEach(started::add);
        Map<String, BulkResult.Item> byId = result.items().stream().collect(Collectors.toMap(BulkResult.Item::id, Function.identity()));
        assertFalse(byId.get("db").ok());
        assertTrue(byId.get("db").message().contains("exited with code 2"), byId.get("db").message());
        assertFalse(byId.get("api").ok());
        assertEquals("skipped: dependency \"db\" failed: start failed: exited with code 2: broken", byId.get("api").message());
        assertEquals(AgentState.STOPPED, engine.status("api").orElseThrow().state());
        assertTrue(byId.get("other").ok());
    }

    @Test
    void hundredAgentsWithChildrenStartAndStopAndLeaveNoProcessBehind() throws Exception {
        home.script("family", """
                sleep 300 &
                echo $! > "$1"
                exec sleep 300
                """);
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < 100; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"a").append(i).append("\", \"command\": \"bin/family\", \"args\": [\"")
                    .append(home.file("child-" + i + ".pid")).append("\"]}");
        }
        open(json.append("]}").toString());
        BulkResult result = await(engine.startAll());
        assertTrue(result.allOk(), result.failures().toString());
        List<Long> pids = new ArrayList<>();
        for (AgentStatus s : engine.statuses()) {
            assertEquals(AgentState.RUNNING, s.state(), s.toString());
            pids.add(s.pid());
        }
        for (int i = 0; i < 100; i++) {
            Path f = home.file("child-" + i + ".pid");
            Await.until("child " + i + " wrote its PID", WAIT, () -> Procs.readPid(f) > 0);
            pids.add(Procs.readPid(f));
        }
        started.addAll(pids);
        assertEquals(200, pids.stream().distinct().count());
        assertTrue(pids.stream().allMatch(Procs::running));

        BulkResult stopped = await(engine.stopAll());
        assertTrue(stopped.allOk(), stopped.failures().toString());
        List<Long> survivors = pids.stream().filter(Procs::running).toList();
        assertEquals(List.of(), survivors, "no agent or child survives stop-all");
        assertEquals(0, engine.statuses().stream().filter(s -> s.state() != AgentState.STOPPED).count());
    }
}
