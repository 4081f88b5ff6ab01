package dev.agentdeck.process;

import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Problem;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adding, editing and removing agents: saved atomically when valid, refused with every problem otherwise. */
class ConfigChangesTest extends EngineTestBase {
    private static final String ONE_AGENT = """
            {
              "version": 1,
              "agents": [ {"id": "web", "command": "sleep", "args": ["300"]} ]
            }
            """;

    private EngineException refused(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        return assertInstanceOf(EngineException.class, failure(f));
    }

    @Test
    void addingAnAgentWithAMissingCommandIsRefusedAndTheFileIsByteIdentical() throws Exception {
        open(ONE_AGENT);
        byte[] before = Files.readAllBytes(home.agentsFile());
        EngineException e = refused(engine.addAgent(AgentSpec.of("worker", "no-such-program-4711", List.of())));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.error().details().stream().anyMatch(d -> d.startsWith(
                "agents[1] \"worker\": command \"no-such-program-4711\" was not found on PATH")), e.error().details().toString());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
        assertEquals(1, engine.agents().size());
    }

    @Test
    void addingAnAgentWithAMissingCwdIsRefusedAndTheFileIsByteIdentical() throws Exception {
        open(ONE_AGENT);
        byte[] before = Files.readAllBytes(home.agentsFile());
        EngineException e = refused(engine.addAgent(AgentSpec.builder("worker").command("sleep").cwd("/nope").build()));
        assertEquals(List.of("agents[1] \"worker\": cwd \"/nope\" does not exist"), e.error().details());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
    }

    @Test
    void aDuplicateIdIsRefusedAndTheFileIsByteIdentical() throws Exception {
        open(ONE_AGENT);
        byte[] before = Files.readAllBytes(home.agentsFile());
        EngineException e = refused(engine.addAgent(AgentSpec.of("web", "sleep", List.of("1"))));
        assertEquals(List.of("agents[1] \"web\": id \"web\" is already used by agents[0]"), e.error().details());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
    }

    @Test
    void anEditThatMakesACycleIsRefusedAndTheFileIsByteIdentical() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep"},
                  {"id": "b", "command": "sleep", "dependsOn": ["a"]}]}
                """);
        byte[] before = Files.readAllBytes(home.agentsFile());
        AgentSpec a = engine.agents().get(0).toBuilder().dependsOnIds("b").build();
        EngineException e = refused(engine.updateAgent(a));
        assertTrue(e.error().details().contains("agents[0] \"a\": dependsOn forms a cycle: a -> b -> a"), e.error().details().toString());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
        assertTrue(engine.agents().get(0).dependsOn().isEmpty(), "the engine keeps the old spec");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"version\": 1, \"agents\": [ {\"id\": \"a\", \"command\": \"sleep\" ",
            "{\"version\": 1, \"agents\": [ {\"id\": \"a\", \"command\": \"sleep\", \"colour\": \"red\"} ]}",
            "{\"version\": 1, \"agents\": [ {\"id\": \"a\", \"command\": \"sleep\"}, {\"id\": \"a\", \"command\": \"sleep\"} ]}",
            "{\"version\": 1, \"agents\": [ {\"id\": \"a\", \"command\": \"x\", \"dependsOn\": [\"a\"]} ]}"})
    void aBrokenFileIsReportedAndNeverOverwritten(String broken) throws Exception {
        open(broken);
        byte[] before = Files.readAllBytes(home.agentsFile());
        List<Problem> problems = engine.configProblems();
        assertFalse(problems.isEmpty());
        assertTrue(engine.agents().isEmpty());
        EngineException e = refused(engine.addAgent(AgentSpec.of("b", "sleep", List.of())));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains("agents.json has problems"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
        // published while opening, before anyone could subscribe: still held for late subscribers
        assertEquals(1, engine.recentEvents(0).stream().filter(ev -> ev.type() == EventType.CONFIG_INVALID).count());
    }

    @Test
    void aValidAddIsSavedWithABackupAndAppearsAtOnce() throws Exception {
        open(ONE_AGENT);
        byte[] before = Files.readAllBytes(home.agentsFile());
        await(engine.addAgent(AgentSpec.builder("worker").command("sleep").args("300").tags(List.of("batch")).build()));
        assertArrayEquals(before, Files.readAllBytes(home.file("agents.json.bak")));
        var saved = ConfigReader.read(Files.readAllBytes(home.agentsFile()), "agents.json");
        assertEquals(List.of("web", "worker"), saved.agents().stream().map(AgentSpec::id).toList());
        assertEquals(AgentState.STOPPED, engine.status("worker").orElseThrow().state());
        assertEquals(AgentState.RUNNING, started("worker").state());
        flushEvents();
        assertEquals(1, log.events("worker", EventType.AGENT_ADDED).size());
    }

    @Test
    void editingARunningAgentKeepsItRunningAndMarksItChanged() throws Exception {
        open(ONE_AGENT);
        long pid = started("web").pid();
        await(engine.updateAgent(engine.agents().get(0).toBuilder().args("600").build()));
        Await.until("the status shows the change", WAIT, () -> engine.status("web").orElseThrow().changed());
        assertEquals(pid, engine.status("web").orElseThrow().pid());
        assertTrue(Procs.running(pid));
        long newPid = await(engine.restart("web")).pid();
        started.add(newPid);
        assertFalse(engine.status("web").orElseThrow().changed());
    }

    @Test
    void removingARunningAgentStopsItFirst() throws Exception {
        open(ONE_AGENT);
        long pid = started("web").pid();
        await(engine.removeAgent("web"));
        assertFalse(Procs.running(pid));
        assertTrue(engine.agents().isEmpty());
        assertTrue(engine.status("web").isEmpty());
        assertEquals(List.of(), ConfigReader.read(Files.readAllBytes(home.agentsFile()), "agents.json").agents());
    }

    @Test
    void validateReportsWhatSavingWouldRefuse() throws Exception {
        open(ONE_AGENT);
        List<Problem> problems = await(engine.validate(AgentSpec.builder("web").command("sleep").cwd("/nope").port(70000).build()));
        assertEquals(List.of("agents[0] \"web\": port 70000 is outside 1..65535", "agents[0] \"web\": cwd \"/nope\" does not exist"),
                problems.stream().map(Problem::toString).toList());
    }
}
