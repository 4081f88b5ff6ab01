package dev.agentdeck.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComposeExportTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static ExportFile export(List<AgentSpec> agents) {
        List<ExportFile> files = Exporters.write(ExportFormat.COMPOSE, agents, ExportSamples.context(Path.of("/work/cfg")));
        assertEquals(1, files.size());
        assertEquals("compose.yaml", files.get(0).name());
        return files.get(0);
    }

    private static JsonNode services(List<AgentSpec> agents) throws Exception {
        return YAML.readTree(export(agents).content()).get("services");
    }

    @Test
    void mapsThePlainAgent() throws Exception {
        JsonNode api = services(ExportSamples.definitions()).get("api");
        assertEquals("${AGENTDECK_IMAGE_API:?set the image of api}", api.get("image").asText());
        assertEquals(List.of("sh", "-c", "exec sleep 1000"), strings(api.get("command")));
        assertEquals("/work/cfg/services/api", api.get("working_dir").asText());
        assertEquals("debug", api.at("/environment/LOG_LEVEL").asText());
        assertTrue(api.at("/environment/API_TOKEN").isMissingNode(), "a secret is not in the file: " + api);
        assertTrue(strings(api.get("env_file")).contains("secrets/api.env"), api.toString());
        assertEquals(List.of("127.0.0.1:8080:8080"), strings(api.get("ports")));
        assertEquals("on-failure", api.get("restart").asText());
        assertEquals("service_healthy", api.at("/depends_on/db/condition").asText());
        assertEquals("service_completed_successfully", api.at("/depends_on/migrate/condition").asText());
        assertEquals("512m", api.at("/deploy/resources/limits/memory").asText());
        assertEquals("1.5", api.at("/deploy/resources/limits/cpus").asText());
        assertEquals("SIGTERM", api.get("stop_signal").asText());
        assertEquals("10s", api.get("stop_grace_period").asText());
        assertEquals("web,core", api.at("/labels/dev.agentdeck.tags").asText());
    }

    @Test
    void healthChecksAndTheirTiming() throws Exception {
        JsonNode s = services(ExportSamples.definitions());
        JsonNode api = s.at("/api/healthcheck");
        assertEquals(List.of("CMD", "curl", "-fsS", "http://127.0.0.1:8080/health?full=1"), strings(api.get("test")));
        assertEquals("10s", api.get("interval").asText());
        assertEquals("2s", api.get("timeout").asText());
        assertEquals(3, api.get("retries").asInt());
        assertEquals("5s", api.get("start_period").asText());
        assertEquals(List.of("CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5432"),
                strings(s.at("/db/healthcheck/test")));
    }

    @Test
    void instancesAreReplicasOnARangeOfHostPorts() throws Exception {
        JsonNode s = services(ExportSamples.definitions());
        JsonNode worker = s.get("worker");
        assertEquals(3, worker.at("/deploy/replicas").asInt());
        assertEquals(List.of("127.0.0.1:9001-9003:9001"), strings(worker.get("ports")));
        assertEquals(List.of("sleep", "1000", "--id", "w-{instance}", "--port", "9001"), strings(worker.get("command")));
        assertEquals("9001", worker.at("/environment/WORKER_PORT").asText());
        assertEquals("unless-stopped", s.at("/feeder/restart").asText());
        assertEquals("no", s.at("/migrate/restart").asText());
    }

    @Test
    void theHeaderSaysWhatDidNotMap() {
        String text = export(ExportSamples.definitions()).content();
        assertTrue(text.startsWith("# Exported from AgentDeck"));
        assertFalse(text.contains("\n---"), "no document marker");
        for (String note : List.of("healthCheck.restartOnUnhealthy:", "readyLogLine:", "watch:",
                "{instance}: replicas have no instance number", "schedule: Compose has no schedules",
                "autostart: false", "image needs curl")) {
            assertTrue(text.contains(note), note + " in\n" + text);
        }
    }

    @Test
    void quotingSurvivesYamlAndInterpolation() throws Exception {
        List<String> args = List.of("a b", "say \"hi\"", "it's", "100%", "$HOME", "${X}", "$$", "back\\slash",
                "line1\nline2", "", "no", "8080", "1:30", "#x", "- y", "é");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("V1", "a $X ${Y} $$ \"q\" 'q'");
        env.put("V2", "line1\nline2\n");
        env.put("V3", "true");
        JsonNode q = services(List.of(AgentSpec.builder("q").command("sh").args(args).env(env).build())).get("q");
        assertEquals(args, uninterpolate(strings(q.get("command"))).subList(1, args.size() + 1));
        Map<String, String> back = new LinkedHashMap<>();
        q.get("environment").fields().forEachRemaining(e -> back.put(e.getKey(), e.getValue().asText()));
        back.replaceAll((k, v) -> v.replace("$$", "$"));
        assertEquals(env, back);
        assertTrue(q.at("/environment/V3").isTextual(), "\"true\" stays a string");
    }

    /** Compose's reading of a value without variables: $$ is a dollar sign. */
    private static List<String> uninterpolate(List<String> values) {
        return values.stream().map(v -> v.replace("$$", "$")).toList();
    }

    static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(n -> {
            assertTrue(n.isTextual(), n.toString());
            out.add(n.asText());
        });
        return out;
    }
}
