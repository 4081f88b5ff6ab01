package dev.agentdeck.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.agentdeck.transfer.ComposeExportTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesExportTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static ExportFile export(List<AgentSpec> agents) {
        List<ExportFile> files = Exporters.write(ExportFormat.KUBERNETES, agents,
                ExportSamples.context(Path.of("/work/cfg")));
        assertEquals(1, files.size());
        assertEquals("kubernetes.yaml", files.get(0).name());
        return files.get(0);
    }

    /** The documents by metadata.name. */
    private static Map<String, JsonNode> documents(List<AgentSpec> agents) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(export(agents).content())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                out.put(doc.at("/metadata/name").asText(), doc);
            }
        }
        return out;
    }

    @Test
    void aDeploymentPerAgentAndACronJobForTheSchedule() throws Exception {
        Map<String, JsonNode> docs = documents(ExportSamples.definitions());
        assertEquals(List.of("api", "db", "migrate", "worker", "report", "feeder"), List.copyOf(docs.keySet()));
        docs.forEach((name, d) -> {
            assertEquals(name.equals("report") ? "CronJob" : "Deployment", d.get("kind").asText());
            assertEquals(name, d.at("/metadata/labels/app.kubernetes.io~1name").asText());
            assertEquals("agentdeck", d.at("/metadata/labels/app.kubernetes.io~1managed-by").asText());
        });
        assertEquals(1, docs.get("api").at("/spec/replicas").asInt());
        assertEquals(3, docs.get("worker").at("/spec/replicas").asInt());
        assertEquals("api", docs.get("api").at("/spec/selector/matchLabels/app.kubernetes.io~1name").asText());
        JsonNode report = docs.get("report");
        assertEquals("batch/v1", report.get("apiVersion").asText());
        assertEquals("*/15 9-17 * * 1-5", report.at("/spec/schedule").asText());
        assertEquals("Never", report.at("/spec/jobTemplate/spec/template/spec/restartPolicy").asText());
        assertEquals(List.of("/bin/echo"), strings(report.at("/spec/jobTemplate/spec/template/spec/containers/0/command")));
    }

    @Test
    void theContainer() throws Exception {
        JsonNode api = documents(ExportSamples.definitions()).get("api");
        assertEquals(10, api.at("/spec/template/spec/terminationGracePeriodSeconds").asInt());
        JsonNode c = api.at("/spec/template/spec/containers/0");
        assertEquals("CHANGE-ME/api", c.get("image").asText());
        assertEquals(List.of("sh"), strings(c.get("command")));
        assertEquals(List.of("-c", "exec sleep 1000"), strings(c.get("args")));
        assertEquals("/work/cfg/services/api", c.get("workingDir").asText());
        assertEquals("LOG_LEVEL", c.at("/env/0/name").asText());
        assertEquals("debug", c.at("/env/0/value").asText());
        assertEquals("API_TOKEN", c.at("/env/1/name").asText());
        assertEquals("api-secrets", c.at("/env/1/valueFrom/secretKeyRef/name").asText());
        assertEquals("API_TOKEN", c.at("/env/1/valueFrom/secretKeyRef/key").asText());
        assertTrue(c.at("/env/1/value").isMissingNode());
        assertEquals(8080, c.at("/ports/0/containerPort").asInt());
        assertEquals("512Mi", c.at("/resources/limits/memory").asText());
        assertEquals("1500m", c.at("/resources/limits/cpu").asText());
    }

    @Test
    void probesFromTheHealthChecks() throws Exception {
        Map<String, JsonNode> docs = documents(ExportSamples.definitions());
        JsonNode live = docs.get("api").at("/spec/template/spec/containers/0/livenessProbe");
        assertEquals("/health?full=1", live.at("/httpGet/path").asText());
        assertEquals(8080, live.at("/httpGet/port").asInt());
        assertEquals("HTTP", live.at("/httpGet/scheme").asText());
        assertEquals(10, live.get("periodSeconds").asInt());
        assertEquals(2, live.get("timeoutSeconds").asInt());
        assertEquals(3, live.get("failureThreshold").asInt());
        assertEquals(1, live.get("successThreshold").asInt());
        assertEquals(5, live.get("initialDelaySeconds").asInt());
        JsonNode ready = docs.get("db").at("/spec/template/spec/containers/0/readinessProbe");
        assertEquals(5432, ready.at("/tcpSocket/port").asInt());
        assertEquals(9001, docs.get("worker").at("/spec/template/spec/containers/0/readinessProbe/httpGet/port").asInt());
    }

    @Test
    void theHeaderSaysWhatDidNotMap() {
        String text = export(ExportSamples.definitions()).content();
        assertTrue(text.startsWith("# Exported from AgentDeck"));
        for (String note : List.of("dependsOn: Kubernetes has no start order", "stop.signal: Kubernetes stops with"
                + " SIGTERM", "restart: back-off is the kubelet's", "watch:", "readyLogLine:",
                "restart.policy: never: a Deployment always restarts", "{instance}: pods of a Deployment")) {
            assertTrue(text.contains(note), note + " in\n" + text);
        }
    }

    @Test
    void dollarsAreEscapedAgainstVariableExpansion() throws Exception {
        List<String> args = List.of("$(HOME)", "$$(X)", "a $ b", "line1\nline2", "8080", "no");
        AgentSpec a = AgentSpec.builder("q_x").command("sh").args(args).env(Map.of("V", "$(PATH) 'x'")).build();
        Map<String, JsonNode> docs = documents(List.of(a));
        JsonNode c = docs.get("q-x").at("/spec/template/spec/containers/0");
        assertEquals("q-x", c.get("name").asText());
        assertEquals(args, strings(c.get("args")).stream().map(s -> s.replace("$$", "$")).toList());
        assertEquals("$$(PATH) 'x'", c.at("/env/0/value").asText());
        assertTrue(export(List.of(a)).content().contains("id: named q-x"));
    }
}
