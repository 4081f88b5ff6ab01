package dev.agentdeck.process;

import dev.agentdeck.config.Templates;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Definitions run as instances, scaling them, group actions by tag, and templates saved from an agent. */
class InstancesAndGroupsTest extends EngineTestBase {
    private static final String WORKERS = """
            {"version": 1, "agents": [
              {"id": "db", "command": "sleep", "args": ["300"], "tags": ["data"]},
              {"id": "web", "command": "sh", "args": ["-c", "echo instance={instance} port={port}; exec sleep 300"],
               "port": 18080, "env": {"SLOT": "{instance}", "LISTEN": "127.0.0.1:{port}"},
               "healthCheck": {"type": "http", "endpoint": "http://127.0.0.1:{port}/health", "intervalMs": 60000},
               "instances": 3, "dependsOn": ["db"], "tags": ["front"]},
              {"id": "proxy", "command": "sleep", "args": ["300"], "dependsOn": [{"id": "web", "condition": "started"}],
               "tags": ["front"]}]}
            """;

    private static String read(java.nio.file.Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private Map<String, AgentSpec> byId() {
        return engine.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity()));
    }

    @Test
    void aDefinitionRunsAsNumberedInstancesWithTheirOwnPortsAndPlaceholders() throws Exception {
        open(WORKERS);
        assertEquals(List.of("db", "web-1", "web-2", "web-3", "proxy"), engine.agents().stream().map(AgentSpec::id).toList());
        AgentSpec w2 = byId().get("web-2");
        assertEquals("web", w2.instanceOf());
        assertEquals(18081, w2.port());
        assertEquals(List.of("-c", "echo instance=2 port=18081; exec sleep 300"), w2.args());
        assertEquals(Map.of("SLOT", "2", "LISTEN", "127.0.0.1:18081"), w2.env());
        assertEquals("http://127.0.0.1:18081/health", ((HealthCheckSpec.Http) w2.healthCheck()).endpoint());
        assertEquals(List.of("web-1", "web-2", "web-3"), byId().get("proxy").dependencyIds(), "a dependency on web is on each instance");
        assertEquals(3, await(engine.definition("web-3")).instances());
        assertEquals("{instance}", await(engine.definition("web")).env().get("SLOT"), "the definition keeps its placeholders");

        AgentStatus s = started("web-2");
        assertEquals(AgentState.RUNNING, s.state());
        Await.until("web-2 printed its own instance and port", WAIT, () -> read(home.workspace().logsDir()
                .resolve("web-2.out.log")).contains("instance=2 port=18081"));
    }

    @Test
    void scalingKeepsTheInstancesThatStayAndStopsTheOnesThatGo() throws Exception {
        open(WORKERS);
        long pid1 = started("web-1").pid();
        long pid2 = started("web-2").pid();
        long pid3 = started("web-3").pid();

        AgentSpec up = await(engine.scale("web-2", 5));
        assertEquals(5, up.instances());
        assertEquals(List.of("db", "web-1", "web-2", "web-3", "web-4", "web-5", "proxy"),
                engine.agents().stream().map(AgentSpec::id).toList());
        assertEquals(pid1, engine.status("web-1").orElseThrow().pid());
        assertFalse(engine.status("web-1").orElseThrow().changed(), "an instance that stays is not even marked changed");
        assertEquals(18084, byId().get("web-5").port());
        assertTrue(Files.readString(home.workspace().agentsFile()).matches("(?s).*\"instances\"\\s*:\\s*5.*"), "saved");

        await(engine.scale("web", 2));
        assertEquals(List.of("db", "web-1", "web-2", "proxy"), engine.agents().stream().map(AgentSpec::id).toList());
        assertEquals(pid1, engine.status("web-1").orElseThrow().pid());
        assertEquals(pid2, engine.status("web-2").orElseThrow().pid());
        assertTrue(engine.status("web-3").isEmpty());
        Await.until("web-3's process ended", WAIT, () -> !ProcessHandle.of(pid3).map(ProcessHandle::isAlive).orElse(false));

        EngineException refused = EngineException.class.cast(failure(engine.scale("web", 0)));
        assertTrue(refused.getMessage().contains("instances 0 must be 1 to"), refused.getMessage());
        EngineException notAnEntry = EngineException.class.cast(failure(engine.removeAgent("web-1")));
        assertTrue(notAnEntry.getMessage().contains("\"web-1\" is an instance of \"web\""), notAnEntry.getMessage());
        assertEquals(pid1, engine.status("web-1").orElseThrow().pid(), "a refused request changes nothing");
    }

    @Test
    void aPlainAgentScaledBecomesADefinitionAndRemovingTheDefinitionStopsEveryInstance() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "job", "command": "sleep", "args": ["300"]}]}
                """);
        started("job");
        await(engine.scale("job", 2));
        assertEquals(List.of("job-1", "job-2"), engine.agents().stream().map(AgentSpec::id).toList());
        long pid = started("job-1").pid();
        started("job-2");
        await(engine.removeAgent("job"));
        assertTrue(engine.agents().isEmpty());
        assertTrue(engine.statuses().isEmpty());
        Await.until("job-1's process ended", WAIT, () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void groupActionsActOnEveryAgentWithTheTagInDependencyOrder() throws Exception {
        open(WORKERS);
        BulkResult front = await(engine.group("front", GroupAction.START));
        assertTrue(front.allOk(), front.toString());
        for (String id : List.of("web-1", "web-2", "web-3", "proxy", "db")) {
            AgentStatus s = engine.status(id).orElseThrow();
            assertEquals(AgentState.RUNNING, s.state(), id + " (db is started as a dependency of the group)");
            started.add(s.pid());
        }
        long proxyPid = engine.status("proxy").orElseThrow().pid();
        BulkResult restarted = await(engine.group("front", GroupAction.RESTART));
        assertTrue(restarted.allOk(), restarted.toString());
        AgentStatus proxy = engine.status("proxy").orElseThrow();
        assertEquals(AgentState.RUNNING, proxy.state());
        assertTrue(proxy.pid() != proxyPid, "proxy runs as a new process");
        started.add(proxy.pid());

        BulkResult stopped = await(engine.group("front", GroupAction.STOP));
        assertTrue(stopped.allOk(), stopped.toString());
        for (String id : List.of("web-1", "web-2", "web-3", "proxy")) {
            assertEquals(AgentState.STOPPED, engine.status(id).orElseThrow().state(), id);
        }
        assertEquals(AgentState.RUNNING, engine.status("db").orElseThrow().state(), "db is not in the group");
        Throwable unknown = failure(engine.group("nope", GroupAction.START));
        assertTrue(unknown.getMessage().contains("no agent is tagged \"nope\""), unknown.getMessage());
    }

    @Test
    void anAgentSavedAsATemplateComesBackAsOne() throws Exception {
        open(WORKERS);
        Templates.Template t = await(engine.saveTemplate("web-2", "my-web", "My web", "three web workers"));
        assertEquals("my-web", t.id());
        assertTrue(Files.exists(home.workspace().configDir().resolve("templates/my-web.json")));
        Templates.Loaded all = await(engine.templates());
        Templates.Template back = all.find("my-web");
        assertEquals("My web", back.name());
        assertFalse(back.builtIn());
        assertEquals(3, back.agent().get("instances").asInt(), "the definition was saved, not the instance");
        assertNull(back.agent().get("id"));
        assertTrue(all.templates().stream().anyMatch(x -> x.id().equals("python-script") && x.builtIn()));
        await(engine.updateAgent(await(engine.definition("db")).toBuilder().env(Map.of("API_TOKEN", "abc123")).build()));
        await(engine.saveTemplate("db", "with-secret", null, null));
        String token = await(engine.templates()).find("with-secret").agent().get("env").get("API_TOKEN").asText();
        assertEquals(dev.agentdeck.core.Secrets.MASK, token, "a secret value stays in agents.json: the template holds the mask");
        assertFalse(Files.readString(home.workspace().configDir().resolve("templates/with-secret.json")).contains("abc123"),
                "the template's file holds no secret value");
        Throwable bad = failure(engine.saveTemplate("web", "Bad Id", null, null));
        assertTrue(bad.getMessage().contains("template id \"Bad Id\" must match"), bad.getMessage());
    }

    @Test
    void importedAgentsAreAddedAllOrNone() throws Exception {
        open(WORKERS);
        byte[] before = Files.readAllBytes(home.workspace().agentsFile());
        Throwable taken = failure(engine.addAgents(List.of(AgentSpec.of("fresh", "sleep", List.of("1")),
                AgentSpec.of("db", "sleep", List.of("1")))));
        assertTrue(taken.getMessage().contains("\"db\" was not added: the id is taken (none of the 2 agents was added)"),
                taken.getMessage());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(home.workspace().agentsFile())), "agents.json unchanged");
        assertTrue(engine.status("fresh").isEmpty());

        await(engine.addAgents(List.of(AgentSpec.of("fresh", "sleep", List.of("1")),
                AgentSpec.builder("pool").command("sleep").args("1").instances(2).build())));
        assertTrue(engine.status("fresh").isPresent());
        assertTrue(engine.status("pool-2").isPresent());
    }

    @Test
    void scalingBackUpWhileTheLeavingInstancesStillStopKeepsThemAsAgents() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "slow", "command": "sh", "args": ["-c", "trap 'sleep 1; exit 0' TERM; while :; do sleep 0.1; done"],
                   "instances": 3}]}
                """);
        started("slow-2");
        started("slow-3");
        java.util.concurrent.CompletableFuture<AgentSpec> down = engine.scale("slow", 1);
        Await.until("slow-2 is stopping", WAIT, () -> engine.status("slow-2").map(st -> st.state() == AgentState.STOPPING)
                .orElse(false) || down.isDone());
        AgentSpec up = await(engine.scale("slow", 3));
        await(down);
        assertEquals(3, up.instances());
        assertEquals(List.of("slow-1", "slow-2", "slow-3"), engine.agents().stream().map(AgentSpec::id).toList());
        assertEquals(List.of("slow-1", "slow-2", "slow-3"), engine.statuses().stream().map(AgentStatus::id).toList(),
                "every listed agent has a supervisor after the old stops finished");
        assertEquals(AgentState.RUNNING, started("slow-3").state());
    }
}
