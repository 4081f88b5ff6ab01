package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spawn API routes over real HTTP against a real engine running real agents: good input and bad. */
class SpawnApiTest extends ApiTestBase {
    private static final String AGENTS = """
            {"version": 1, "agents": [
              {"id": "a", "command": "sleep", "args": ["300"], "type": "worker", "tags": ["blue"]},
              {"id": "b", "command": "sleep", "args": ["301"], "tags": ["blue", "red"]},
              {"id": "c", "command": "sleep", "args": ["302"], "type": "worker"}]}
            """;

    @Test
    void spawnTakesTheSeedsSpawnConfigAddsTheAgentStartsItAndMasksSecrets() throws Exception {
        open(null);
        String config = """
                {"id": "trading-agent-1", "name": "Primary Trading Agent", "type": "trading_agent",
                 "command": "sh", "args": ["-c", "echo INFO hello; exec sleep 300"], "cwd": "%s",
                 "env": {"PYTHONPATH": ".", "LOG_LEVEL": "INFO", "OPENAI_API_KEY": "sk-real"},
                 "resources": {"cpu": 50, "memory": 2048, "disk": 1024}, "autoRestart": false,
                 "healthCheck": {"endpoint": "http://127.0.0.1:9/health", "interval": 30000, "timeout": 5000},
                 "dependencies": [], "tags": ["trading", "production", "smc"],
                 "stop": {"signal": "INT", "timeoutSec": 3}}
                """.formatted(tmp);
        Resp r = post("/api/spawn/process", config);
        assertEquals(200, r.status(), r.body().toString());
        assertTrue(r.body().get("success").asBoolean());
        long pid = pidOf(r);
        assertTrue(Procs.running(pid));
        JsonNode d = r.data();
        assertEquals("running", d.get("status").asText());
        assertEquals("trading_agent", d.get("type").asText());
        assertEquals("********", d.at("/config/env/OPENAI_API_KEY").asText(), "secrets never leave");
        assertEquals("never", d.at("/config/restart/policy").asText(), "autoRestart false");
        assertEquals(50, d.at("/config/resources/cpuPercent").asInt());
        assertEquals(2048, d.at("/config/resources/memoryMb").asInt());
        assertTrue(r.body().get("notes").get(0).asText().contains("resources.disk"));
        String saved = Files.readString(home.agentsFile());
        assertTrue(saved.contains("\"OPENAI_API_KEY\": \"sk-real\""), "the real value is saved");
        assertTrue(saved.contains("\"signal\": \"INT\""), "AgentDeck's own fields are accepted too");
        assertFalse(get("/api/spawn/process/trading-agent-1").body().toString().contains("sk-real"));

        // spawning the same config again starts the same agent; another config under that id is refused
        assertEquals(200, post("/api/spawn/process/trading-agent-1/stop", "{\"graceful\": true}").status());
        assertFalse(Procs.running(pid));
        Resp same = post("/api/spawn/process", config);
        assertEquals(200, same.status(), same.body().toString());
        assertTrue(Procs.running(pidOf(same)));
        assertEquals(1, engine.agents().size());
        Resp other = post("/api/spawn/process", "{\"id\": \"trading-agent-1\", \"command\": \"sleep\", \"args\": [\"5\"]}");
        assertEquals(400, other.status());
        assertTrue(other.error().contains("exists with another configuration"), other.error());
    }

    @Test
    void badJsonUnknownFieldsAndInvalidConfigsAre400WithEveryProblemAndChangeNothing() throws Exception {
        open(AGENTS);
        byte[] before = Files.readAllBytes(home.agentsFile());

        Resp syntax = post("/api/spawn/process", "{\"id\": \"x\",\n \"command\": }");
        assertEquals(400, syntax.status());
        assertTrue(syntax.details().get(0).contains("line 2"), syntax.details().toString());

        Resp unknown = post("/api/spawn/process", "{\"id\": \"x\", \"command\": \"sleep\", \"comand\": \"y\", \"colour\": 1}");
        assertEquals(400, unknown.status());
        String all = String.join("\n", unknown.details());
        assertTrue(all.contains("unknown field \"comand\""), all);
        assertTrue(all.contains("unknown field \"colour\""), all);

        Resp invalid = post("/api/spawn/process", """
                {"id": "bad id!", "restart": {"policy": "sometimes"}, "healthCheck": {"interval": "often"}}
                """);
        assertEquals(400, invalid.status());
        all = String.join("\n", invalid.details());
        assertTrue(all.contains("restart.policy"), all);
        assertTrue(all.contains("command"), all);
        assertTrue(invalid.details().size() >= 3, all);

        assertEquals(400, post("/api/spawn/process", "[1, 2]").status());
        assertEquals(400, post("/api/spawn/process", null).status());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()), "a refused request changes no file");
        assertEquals(3, engine.agents().size());
    }

    @Test
    void listFiltersByStatusTypeAndTagAndPages() throws Exception {
        open(AGENTS);
        pidOf(post("/api/spawn/process/a/start", null));
        Resp all = get("/api/spawn/processes");
        assertEquals(3, all.data().size());
        assertEquals(3, all.body().get("total").asInt());
        assertEquals(List.of("a"), ids(get("/api/spawn/processes?status=running")));
        assertEquals(List.of("b", "c"), ids(get("/api/spawn/processes?status=stopped")));
        assertEquals(List.of("a", "c"), ids(get("/api/spawn/processes?type=worker")));
        assertEquals(List.of("b"), ids(get("/api/spawn/processes?tag=red")));
        Resp page = get("/api/spawn/processes?limit=1&offset=1");
        assertEquals(List.of("b"), ids(page));
        assertEquals(3, page.body().get("total").asInt());
        Resp bad = get("/api/spawn/processes?status=sleeping");
        assertEquals(400, bad.status());
        assertTrue(bad.error().contains("\"sleeping\" is not a status"), bad.error());
        assertEquals(400, get("/api/spawn/processes?limit=-1").status());
        assertEquals(400, get("/api/spawn/processes?limit=lots").status());
    }

    @Test
    void getStopRestartAndTheControlsActOnRealProcesses() throws Exception {
        open(AGENTS);
        assertEquals(404, get("/api/spawn/process/nope").status());
        assertEquals(404, post("/api/spawn/process/nope/stop", "{}").status());
        long pid = pidOf(post("/api/spawn/process/a/start", null));
        Resp one = get("/api/spawn/process/a");
        assertEquals(pid, one.data().get("pid").asLong());
        assertEquals("sleep", one.data().at("/config/command").asText());

        Resp restarted = post("/api/spawn/process/a/restart", null);
        long pid2 = pidOf(restarted);
        assertNotEquals(pid, pid2);
        assertFalse(Procs.running(pid), "the old run is gone");

        assertEquals("paused", post("/api/spawn/process/a/pause", null).data().get("status").asText());
        Await.until("/proc shows the paused agent stopped (T)", WAIT, () -> Procs.state(pid2) == 'T'); // SIGSTOP lands asynchronously
        assertEquals("running", post("/api/spawn/process/a/resume", null).data().get("status").asText());
        Resp sig = post("/api/spawn/process/a/signal", "{\"signal\": \"WINCH\"}");
        assertEquals(200, sig.status(), sig.body().toString());
        assertTrue(Procs.running(pid2));
        Resp badSig = post("/api/spawn/process/a/signal", "{\"signal\": \"LOUD\", \"extra\": 1}");
        assertEquals(400, badSig.status());
        assertEquals(2, badSig.details().size(), badSig.details().toString());

        Resp badStop = post("/api/spawn/process/a/stop", "{\"graceful\": \"yes\"}");
        assertEquals(400, badStop.status());
        assertTrue(Procs.running(pid2), "a refused stop stops nothing");
        Resp stopped = post("/api/spawn/process/a/stop", "{\"graceful\": true}");
        assertEquals("stopped", stopped.data().get("status").asText());
        assertFalse(Procs.running(pid2));

        long pid3 = pidOf(post("/api/spawn/process/b/start", null));
        Resp killed = post("/api/spawn/process/b/stop", "{\"graceful\": false}");
        assertEquals(200, killed.status());
        assertFalse(Procs.running(pid3));
        assertTrue(killed.data().at("/lastExit/reason").asText().contains("KILL"), killed.data().toString());

        long pid4 = pidOf(post("/api/spawn/process/c/start", null));
        assertEquals(200, post("/api/spawn/process/c/kill", null).status());
        assertFalse(Procs.running(pid4));
        Resp runs = get("/api/spawn/process/c/runs?limit=5");
        assertEquals(200, runs.status());
        Await.until("the run is recorded", WAIT, () -> fetch("/api/spawn/process/c/runs").data().size() == 1);

        assertEquals(400, post("/api/spawn/process/c/resume", null).status(), "resume of a stopped agent");
        assertEquals(200, delete("/api/spawn/process/c").status());
        assertEquals(404, get("/api/spawn/process/c").status());
        assertFalse(Files.readString(home.agentsFile()).contains("\"c\""));
    }

    @Test
    void putConfigMergesAPartialConfigKeepsMaskedSecretsAndRefusesInvalidOnes() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"],
                  "env": {"DB_PASSWORD": "hunter2", "MODE": "x"}, "resources": {"memoryMb": 100}}]}
                """);
        Resp r = put("/api/spawn/process/a/config", """
                {"autoRestart": false, "resources": {"cpu": 75, "memory": 4096},
                 "env": {"DB_PASSWORD": "********", "MODE": "y"}}
                """);
        assertEquals(200, r.status(), r.body().toString());
        var spec = engine.agents().get(0);
        assertEquals("hunter2", spec.env().get("DB_PASSWORD"), "the mask sent back keeps the real value");
        assertEquals("y", spec.env().get("MODE"));
        assertEquals(4096, spec.resources().memoryMb());
        assertEquals(75, spec.resources().cpuPercent());
        assertEquals("never", spec.restart().policy().name().toLowerCase());

        byte[] before = Files.readAllBytes(home.agentsFile());
        Resp bad = put("/api/spawn/process/a/config", "{\"id\": \"b\", \"instances\": 0, \"bogus\": true}");
        assertEquals(400, bad.status());
        String all = String.join("\n", bad.details());
        assertTrue(all.contains("id cannot be changed"), all);
        assertTrue(all.contains("bogus"), all);
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
        assertEquals(404, put("/api/spawn/process/zz/config", "{}").status());
    }

    @Test
    void templatesAreListedAndSpawnFromTemplateAppliesOverrides() throws Exception {
        open(null);
        dev.agentdeck.testutil.TestHome.write(home.file("templates/mine.json"), """
                {"id": "mine", "name": "Mine", "agent": {"command": "sleep", "args": ["300"], "env": {"API_KEY": "k"}}}
                """);
        dev.agentdeck.testutil.TestHome.write(home.file("templates/broken.json"), """
                {"id": "broken", "agent": {"command": "sleep", "restart": {"policy": "maybe"}}}
                """);
        Resp t = get("/api/spawn/templates");
        List<String> ids = ids(t);
        assertTrue(ids.containsAll(List.of("shell-command", "python-script", "node-server", "java-jar", "http-service", "mine")),
                ids.toString());
        assertFalse(ids.contains("broken"));
        assertTrue(t.body().get("problems").get(0).asText().contains("broken.json"), t.body().get("problems").toString());
        assertTrue(t.body().get("problems").get(0).asText().contains("restart.policy"), t.body().get("problems").toString());
        assertFalse(t.body().toString().contains("\"k\""), "template secrets are masked too");
        Resp r = post("/api/spawn/from-template", """
                {"templateId": "shell-command", "overrides": {"id": "my-shell", "name": "My Shell",
                 "args": ["-c", "exec sleep 300"], "env": {"CUSTOM_VAR": "value"}}}
                """);
        assertEquals(200, r.status(), r.body().toString());
        pidOf(r);
        assertEquals("running", r.data().get("status").asText());
        assertEquals("value", engine.agents().get(0).env().get("CUSTOM_VAR"));
        assertEquals(404, post("/api/spawn/from-template", "{\"templateId\": \"nope\", \"overrides\": {\"id\": \"z\"}}").status());
        Resp noId = post("/api/spawn/from-template", "{\"templateId\": \"shell-command\"}");
        assertEquals(400, noId.status());
        assertTrue(String.join(" ", noId.details()).contains("overrides.id is required"));
        assertEquals(1, engine.agents().size(), "the refused ones added nothing");
    }

    @Test
    void logsComeBackByLinesAndLevelAndMetricsDescribeEngineAndHost() throws Exception {
        home.script("talk", "echo 'INFO one'; echo 'ERROR two' >&2; echo 'DEBUG three'; echo 'WARN four'; exec sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "t", "command": "bin/talk"}]}
                """);
        pidOf(post("/api/spawn/process/t/start", null));
        Await.until("four lines written", WAIT,
                () -> texts(fetch("/api/spawn/process/t/logs?lines=100")).stream().filter(s -> !s.startsWith("---")).count() == 4);
        assertEquals(List.of("ERROR two"), texts(get("/api/spawn/process/t/logs?level=error")));
        List<String> warn = texts(get("/api/spawn/process/t/logs?level=warn"));
        assertEquals(2, warn.size(), warn.toString());
        assertTrue(warn.containsAll(List.of("ERROR two", "WARN four")));
        assertEquals(1, texts(get("/api/spawn/process/t/logs?lines=1")).size());
        assertEquals(400, get("/api/spawn/process/t/logs?level=loud").status());
        assertEquals(400, get("/api/spawn/process/t/logs?lines=0").status());

        Resp m = get("/api/spawn/metrics");
        assertEquals(200, m.status());
        assertEquals(1, m.data().at("/summary/running").asInt());
        assertTrue(m.data().at("/api/requests").asLong() > 0);
        assertEquals("t", m.data().at("/processes/0/id").asText());
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        open(AGENTS);
        Resp nf = get("/api/spawn/nothing");
        assertEquals(404, nf.status());
        assertFalse(nf.body().get("success").asBoolean());
        Resp wrong = delete("/api/spawn/processes");
        assertEquals(405, wrong.status());
        assertTrue(wrong.error().contains("use GET"), wrong.error());
    }

    static List<String> ids(Resp r) {
        List<String> out = new ArrayList<>();
        r.data().forEach(p -> out.add(p.get("id").asText()));
        return out;
    }

    static List<String> texts(Resp r) {
        List<String> out = new ArrayList<>();
        r.data().get("lines").forEach(l -> out.add(l.get("text").asText()));
        return out;
    }
}
