package dev.agentdeck.api;

import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Cortex Flow endpoints (seed 004) as its status bar calls them, without a token (--no-auth). */
class CortexApiTest extends ApiTestBase {

    @Test
    void statusStartStopStartAllStopAllAndLogsWorkAsTheSeedDescribesThem() throws Exception {
        home.script("researcher", "echo 'researcher up'; exec sleep 300");
        home.script("writer", "echo 'writer up'; exec sleep 300");
        open("""
                {"version": 1, "agents": [
                  {"id": "researcher", "name": "Researcher", "command": "bin/researcher", "port": 18001},
                  {"id": "writer", "command": "bin/writer", "dependsOn": ["researcher"]}]}
                """, new ApiOptions(true, "127.0.0.1", 0, true, false));
        Resp status = get("/api/processes/status");
        assertEquals(200, status.status());
        assertEquals(List.of("stopped", "stopped"), statuses(status));
        assertEquals(18001, status.data().get(0).get("port").asInt());

        Resp started = post("/api/processes/start", "{\"name\": \"researcher\"}");
        assertEquals("running", started.data().get("status").asText());
        long pid = started.data().get("pid").asLong();
        this.started.add(pid);
        assertTrue(Procs.running(pid));
        Resp byDisplayName = post("/api/processes/stop", "{\"name\": \"Researcher\"}");
        assertEquals("stopped", byDisplayName.data().get("status").asText());
        assertFalse(Procs.running(pid));

        assertEquals(404, post("/api/processes/start", "{\"name\": \"nobody\"}").status());
        Resp noName = post("/api/processes/start", "{\"agent\": \"researcher\"}");
        assertEquals(400, noName.status());
        assertEquals(2, noName.details().size(), noName.details().toString());

        Resp all = post("/api/processes/start-all", null);
        assertEquals(200, all.status(), all.body().toString());
        assertEquals(List.of("running", "running"), statuses(get("/api/processes/status")));
        engine.statuses().forEach(s -> this.started.add(s.pid()));
        Await.until("the writer logged", WAIT, () -> {
            List<String> texts = new ArrayList<>();
            fetch("/api/processes/writer/logs?lines=50").data().get("lines").forEach(l -> texts.add(l.asText()));
            return texts.contains("writer up");
        });
        assertEquals(404, get("/api/processes/nobody/logs").status());
        assertEquals(200, post("/api/processes/stop-all", null).status());
        assertEquals(List.of("stopped", "stopped"), statuses(get("/api/processes/status")));
        this.started.forEach(p -> assertFalse(Procs.running(p)));
    }

    private static List<String> statuses(Resp r) {
        List<String> out = new ArrayList<>();
        r.data().forEach(p -> out.add(p.get("status").asText()));
        return out;
    }
}
