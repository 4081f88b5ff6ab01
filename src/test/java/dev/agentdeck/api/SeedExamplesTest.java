package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seeds' own example requests, unchanged, against an instance started with --no-auth (their clients send
 * no token): seed 000's curl lines and HTTP examples and its Python client, and seed 004's endpoints. Runs the
 * real curl and python3 (with requests); skipped where the machine lacks them.
 */
class SeedExamplesTest extends ApiTestBase {

    private String base() {
        return "http://localhost:" + api.port();
    }

    private JsonNode curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(out));
        return Json.MAPPER.readTree(out);
    }

    @Test
    void seed000CurlLinesAndHttpExamplesWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        open("""
                {"version": 1, "agents": [{"id": "data-pipeline-1", "command": "sleep", "args": ["300"]}]}
                """, new ApiOptions(true, "127.0.0.1", 0, true, false));
        // POST /api/spawn/process with the document's body (a command that exists here)
        JsonNode spawned = curl("-X", "POST", base() + "/api/spawn/process", "-H", "Content-Type: application/json", "-d", """
                {
                  "id": "trading-agent-1",
                  "name": "Primary Trading Agent",
                  "type": "trading_agent",
                  "command": "sh",
                  "args": ["-c", "echo run_smc_agent --mode production; exec sleep 300"],
                  "cwd": "%s",
                  "env": {
                    "PYTHONPATH": ".",
                    "LOG_LEVEL": "INFO"
                  },
                  "resources": {
                    "cpu": 50,
                    "memory": 2048,
                    "disk": 1024
                  },
                  "autoRestart": true,
                  "healthCheck": {
                    "endpoint": "http://localhost:8080/health",
                    "interval": 30000,
                    "timeout": 5000
                  },
                  "dependencies": ["data-pipeline-1"],
                  "tags": ["trading", "production", "smc"]
                }
                """.formatted(tmp));
        assertTrue(spawned.get("success").asBoolean(), spawned.toString());
        started.add(spawned.at("/data/pid").asLong());
        JsonNode list = curl(base() + "/api/spawn/processes?status=running&type=trading_agent&limit=20&offset=0");
        assertEquals("trading-agent-1", list.at("/data/0/id").asText());
        assertEquals("trading-agent-1", curl(base() + "/api/spawn/process/trading-agent-1").at("/data/id").asText());
        JsonNode updated = curl("-X", "PUT", base() + "/api/spawn/process/trading-agent-1/config", "-H",
                "Content-Type: application/json", "-d", """
                {
                  "autoRestart": false,
                  "resources": {
                    "cpu": 75,
                    "memory": 4096
                  }
                }
                """);
        assertTrue(updated.get("success").asBoolean(), updated.toString());
        JsonNode restarted = curl("-X", "POST", base() + "/api/spawn/process/trading-agent-1/restart");
        assertTrue(restarted.get("success").asBoolean(), restarted.toString());
        started.add(restarted.at("/data/pid").asLong());
        // the document's curl lines, with its process id
        assertTrue(curl(base() + "/api/spawn/process/trading-agent-1/logs?lines=100").get("success").asBoolean());
        assertTrue(curl(base() + "/api/spawn/process/trading-agent-1/logs?lines=100&level=error").get("success").asBoolean());
        assertTrue(curl(base() + "/api/spawn/metrics").at("/data/summary/running").asInt() >= 1);
        JsonNode templates = curl(base() + "/api/spawn/templates");
        assertTrue(templates.get("data").size() >= 5);
        JsonNode fromTemplate = curl("-X", "POST", base() + "/api/spawn/from-template", "-H", "Content-Type: application/json",
                "-d", """
                {
                  "templateId": "shell-command",
                  "overrides": {
                    "id": "my-trading-agent",
                    "name": "My Trading Agent",
                    "env": {
                      "CUSTOM_VAR": "value"
                    }
                  }
                }
                """);
        assertTrue(fromTemplate.get("success").asBoolean(), fromTemplate.toString());
        started.add(fromTemplate.at("/data/pid").asLong());
        JsonNode stopped = curl("-X", "POST", base() + "/api/spawn/process/trading-agent-1/stop", "-H",
                "Content-Type: application/json", "-d", "{\"graceful\": true}");
        assertEquals("stopped", stopped.at("/data/status").asText());
        JsonNode missing = curl(base() + "/api/spawn/process/none");
        assertEquals(false, missing.get("success").asBoolean());
        assertTrue(missing.get("error").asText().contains("none"));
    }

    @Test
    void seed000PythonClientWorksUnchanged() throws Exception {
        assumeTrue(pythonWithRequests(), "python3 with requests is not installed");
        open(null, new ApiOptions(true, "127.0.0.1", 0, true, false));
        Path script = Path.of(getClass().getResource("/seeds/spawn_client.py").toURI());
        Process p = new ProcessBuilder("python3", script.toString(), base()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("running "), out);
        long pid = Long.parseLong(out.substring("running ".length()));
        started.add(pid);
        assertTrue(Procs.running(pid));
    }

    @Test
    void seed004EndpointsWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        home.script("researcher_server", "echo researcher listening; exec sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "researcher", "command": "bin/researcher_server", "port": 18301}]}
                """, new ApiOptions(true, "127.0.0.1", 0, true, false));
        assertEquals("stopped", curl(base() + "/api/processes/status").at("/data/0/status").asText());
        JsonNode s = curl("-X", "POST", base() + "/api/processes/start", "-H", "Content-Type: application/json",
                "-d", "{ \"name\": \"researcher\" }");
        started.add(s.at("/data/pid").asLong());
        assertEquals("running", s.at("/data/status").asText());
        assertTrue(curl("-X", "POST", base() + "/api/processes/stop-all").get("success").asBoolean());
        assertTrue(curl("-X", "POST", base() + "/api/processes/start-all").get("success").asBoolean());
        started.add(engine.status("researcher").orElseThrow().pid());
        assertTrue(curl(base() + "/api/processes/researcher/logs?lines=50").get("success").asBoolean());
        assertEquals("stopped", curl("-X", "POST", base() + "/api/processes/stop", "-H", "Content-Type: application/json",
                "-d", "{ \"name\": \"researcher\" }").at("/data/status").asText());
    }

    private static boolean pythonWithRequests() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import requests").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
