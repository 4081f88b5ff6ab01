package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AgentDeck's additions: start-all/stop-all, event history with filters, export and import, reload, refresh, info. */
class DeckApiTest extends ApiTestBase {

    @Test
    void startAllAndStopAllRunEveryAgentAndReportFailuresByName() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "db", "command": "sleep", "args": ["300"]},
                  {"id": "app", "command": "sleep", "args": ["301"], "dependsOn": ["db"]},
                  {"id": "broken", "command": "/nonexistent/program"}]}
                """);
        Resp all = post("/api/spawn/start-all", null);
        engine.statuses().forEach(s -> {
            if (s.pid() != null) {
                started.add(s.pid());
            }
        });
        assertEquals(500, all.status(), all.body().toString());
        assertTrue(all.error().contains("1 of 3 agents failed"), all.error());
        assertTrue(all.details().get(0).startsWith("broken: "), all.details().toString());
        assertEquals("running", get("/api/spawn/process/app").data().get("status").asText());
        Resp stop = post("/api/spawn/stop-all", null);
        assertEquals(200, stop.status(), stop.body().toString());
        started.forEach(p -> assertFalse(Procs.running(p)));
        assertEquals(400, post("/api/spawn/stop-all", "{\"now\": true}").status());
    }

    @Test
    void theEventHistoryFiltersByAgentTypeTimeAndText() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["301"]}]}
                """);
        Instant before = Instant.now().minusSeconds(1);
        pidOf(post("/api/spawn/process/a/start", null));
        pidOf(post("/api/spawn/process/b/start", null));
        post("/api/spawn/process/a/stop", null);
        Await.until("events are recorded", WAIT, () -> fetch("/api/spawn/history/events?type=stopped").data().size() == 1);
        Resp aOnly = get("/api/spawn/history/events?agent=a");
        assertTrue(aOnly.data().size() >= 2);
        aOnly.data().forEach(e -> assertEquals("a", e.get("processId").asText()));
        Resp spawned = get("/api/spawn/history/events?type=spawned,stopped&from=" + before);
        List<String> types = new ArrayList<>();
        spawned.data().forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("stopped", "spawned", "spawned"), types, "newest first");
        assertEquals(0, get("/api/spawn/history/events?to=" + before).data().size());
        assertEquals(1, get("/api/spawn/history/events?type=stopped&q=STOPPED+BY").data().size());
        assertEquals(1, get("/api/spawn/history/events?limit=1").data().size());
        assertEquals(400, get("/api/spawn/history/events?type=exploded").status());
        assertEquals(400, get("/api/spawn/history/events?from=yesterday").status());
    }

    @Test
    void exportMasksSecretsAndImportRefusesTheMaskThenBringsTheAgentBack() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"],
                  "env": {"SERVICE_TOKEN": "t0ps3cret", "PLAIN": "1"}}]}
                """);
        pidOf(post("/api/spawn/process/a/start", null));
        post("/api/spawn/process/a/stop", null);
        Await.until("the run is recorded", WAIT, () -> fetch("/api/spawn/process/a/runs").data().size() == 1);
        Resp export = get("/api/spawn/process/a/export");
        assertEquals(200, export.status());
        JsonNode doc = export.data();
        assertEquals("********", doc.at("/spec/env/SERVICE_TOKEN").asText());
        assertFalse(doc.toString().contains("t0ps3cret"));
        assertEquals(1, doc.get("runs").size());
        assertEquals(200, post("/api/spawn/process/a/export", null).status(), "the seed's POST form works too");

        Resp merged = post("/api/spawn/import", doc.toString());
        assertEquals(200, merged.status(), "the masks of an agent still here stand for its values: " + merged.body());
        assertFalse(merged.body().get("added").asBoolean());
        assertEquals("t0ps3cret", engine.agents().get(0).env().get("SERVICE_TOKEN"));

        assertEquals(200, delete("/api/spawn/process/a").status());
        byte[] before = Files.readAllBytes(home.agentsFile());
        Resp masked = post("/api/spawn/import", doc.toString());
        assertEquals(400, masked.status());
        assertTrue(masked.details().get(0).contains("env SERVICE_TOKEN"), masked.details().toString());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));

        ((ObjectNode) doc.at("/spec/env")).put("SERVICE_TOKEN", "new-secret");
        Resp imported = post("/api/spawn/import", doc.toString());
        assertEquals(200, imported.status(), imported.body().toString());
        assertEquals("new-secret", engine.agents().get(0).env().get("SERVICE_TOKEN"));
        assertEquals(1, get("/api/spawn/process/a/runs").data().size(), "its history came back");

        Resp junk = post("/api/spawn/import", "{\"version\": 1, \"whatever\": true}");
        assertEquals(400, junk.status());
        assertTrue(junk.details().get(0).contains("whatever"), junk.details().toString());
        assertEquals(404, get("/api/spawn/process/zz/export").status());
    }

    @Test
    void reloadRefreshAndInfoDescribeTheWorkspace() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
                """);
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["5"]}]}
                """);
        Resp reload = post("/api/spawn/reload", null);
        assertEquals(200, reload.status(), reload.body().toString());
        assertEquals(2, reload.data().get("agents").asInt());
        assertEquals(200, post("/api/spawn/refresh", null).status());
        Resp info = get("/api/info");
        assertEquals("serve", info.data().get("kind").asText());
        assertEquals(ProcessHandle.current().pid(), info.data().get("pid").asLong());
        assertEquals(home.dir().toString(), info.data().get("home").asText());
        assertEquals(engine.containment().mode().name(), info.data().path("containment").path("mode").asText(), info.body().toString());
        assertFalse(info.data().path("containment").path("reason").asText().isBlank(), info.body().toString());
        assertEquals(404, post("/api/panel/focus", null).status(), "serve has no window to bring forward");
        assertTrue(Json.compact(info.body()).contains("\"success\":true"));
    }
}
