package dev.agentdeck.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SupervisorExportTest {
    private static final Path CONFIG = Path.of("/work/cfg");

    private static ExportFile export(List<AgentSpec> agents) {
        List<ExportFile> files = Exporters.write(ExportFormat.SUPERVISOR, agents, ExportSamples.context(CONFIG));
        assertEquals(1, files.size());
        assertEquals("supervisord-agentdeck.conf", files.get(0).name());
        return files.get(0);
    }

    private static List<String> argv(Map<String, String> program, Map<String, Object> names) {
        return SupervisorConf.split(SupervisorConf.expand(program.get("command"), names));
    }

    @Test
    void mapsThePlainAgentsKeys() {
        var conf = SupervisorConf.parse(export(ExportSamples.definitions()).content());
        Map<String, String> api = conf.get("program:api");
        assertEquals(List.of("sh", "-c", "exec sleep 1000"), argv(api, Map.of()));
        assertEquals("/work/cfg/services/api", api.get("directory"));
        assertEquals(Map.of("LOG_LEVEL", "debug", "API_TOKEN", "<API_TOKEN>", "PUBLIC_URL", "<PUBLIC_URL>"),
                SupervisorConf.environment(SupervisorConf.expand(api.get("environment"), Map.of())));
        assertTrue(api.get("environment").contains("API_TOKEN='%(ENV_API_TOKEN)s'"));
        assertEquals("true", api.get("autostart"));
        assertEquals("unexpected", api.get("autorestart"));
        assertEquals("4", api.get("startretries"), "supervisord gives up after startretries + 1 failed starts; burst is 5");
        assertEquals("10", api.get("startsecs"));
        assertEquals("TERM", api.get("stopsignal"));
        assertEquals("10", api.get("stopwaitsecs"));
        assertEquals("true", api.get("stopasgroup"));
        assertEquals("true", api.get("killasgroup"));
        assertEquals("INT", conf.get("program:db").get("stopsignal"));
        assertEquals("30", conf.get("program:db").get("stopwaitsecs"));
    }

    @Test
    void restartPoliciesJobsAndStartOrder() {
        var conf = SupervisorConf.parse(export(ExportSamples.definitions()).content());
        assertEquals("true", conf.get("program:feeder").get("autorestart"));
        assertEquals("false", conf.get("program:migrate").get("autorestart"));
        assertEquals("0", conf.get("program:migrate").get("startsecs"));
        assertEquals("0", conf.get("program:migrate").get("startretries"));
        assertEquals("0", conf.get("program:report").get("startsecs"));
        int db = Integer.parseInt(conf.get("program:db").get("priority"));
        int api = Integer.parseInt(conf.get("program:api").get("priority"));
        int feeder = Integer.parseInt(conf.get("program:feeder").get("priority"));
        int worker = Integer.parseInt(conf.get("program:worker").get("priority"));
        assertTrue(db < api && db < worker && worker < feeder, conf.toString());
    }

    @Test
    void instancesAreNumprocsWithTheirNumberAndPort() {
        var worker = SupervisorConf.parse(export(ExportSamples.definitions()).content()).get("program:worker");
        assertEquals("3", worker.get("numprocs"));
        assertEquals("1", worker.get("numprocs_start"));
        assertEquals("%(program_name)s-%(process_num)d", worker.get("process_name"));
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> names = Map.of("process_num", i, "program_name", "worker");
            assertEquals(List.of("sleep", "1000", "--id", "w-" + i, "--port", Integer.toString(9000 + i)),
                    argv(worker, names));
            assertEquals(Map.of("WORKER_PORT", Integer.toString(9000 + i)),
                    SupervisorConf.environment(SupervisorConf.expand(worker.get("environment"), names)));
        }
    }

    @Test
    void tagsAreGroupsOfOneProgramEach() {
        var conf = SupervisorConf.parse(export(ExportSamples.definitions()).content());
        assertEquals("api,worker", conf.get("group:web").get("programs"));
        assertEquals("db", conf.get("group:core").get("programs"), "api is in web already");
    }

    @Test
    void theHeaderSaysWhatDidNotMap() {
        String text = export(ExportSamples.definitions()).content();
        assertTrue(text.startsWith("; Exported from AgentDeck"));
        for (String note : List.of("healthCheck: supervisor has no health checks",
                "dependsOn db: only start order (priority)", "schedule: supervisor has no timers",
                "watch:", "resources: supervisor has no memory or CPU limits", "restart.maxDelayMs:",
                "tags core: supervisor would run a program once per group")) {
            assertTrue(text.contains(note), note + " in\n" + text);
        }
    }

    @Test
    void quotingSurvivesConfigParserExpansionAndShlex() {
        AgentSpec a = quoting();
        var program = SupervisorConf.parse(export(List.of(a)).content()).get("program:quoting");
        assertEquals(a.args(), argv(program, Map.of()).subList(1, a.args().size() + 1));
        assertEquals(a.env(), SupervisorConf.environment(SupervisorConf.expand(program.get("environment"), Map.of())));
    }

    @Test
    void pythonReadsItAsSupervisordDoes(@TempDir Path dir) throws Exception {
        assumeTrue(python() != null, "python3 is not installed here");
        Path script = dir.resolve("read.py");
        try (InputStream in = getClass().getResourceAsStream("/dev/agentdeck/transfer/export/read_supervisor_conf.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<AgentSpec> agents = new java.util.ArrayList<>(ExportSamples.definitions());
        agents.add(quoting());
        Path conf = dir.resolve("supervisord-agentdeck.conf");
        Files.writeString(conf, export(agents).content(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(python(), script.toString(), conf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        JsonNode read = new ObjectMapper().readTree(out);
        JsonNode q = read.get("quoting").get("0");
        assertEquals(quoting().args(), strings(q.get("argv")).subList(1, quoting().args().size() + 1));
        assertEquals(quoting().env(), new ObjectMapper().convertValue(q.get("env"), Map.class));
        JsonNode api = read.get("api").get("0");
        assertEquals(Map.of("LOG_LEVEL", "debug", "API_TOKEN", "<API_TOKEN>", "PUBLIC_URL", "<PUBLIC_URL>"),
                new ObjectMapper().convertValue(api.get("env_legacy"), Map.class), "plain values read alike before 4.4");
        assertEquals(List.of("sleep", "1000", "--id", "w-3", "--port", "9003"), strings(read.get("worker").get("3").get("argv")));
        assertFalse(out.contains(ExportSamples.SECRET));
    }

    private static AgentSpec quoting() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("V1", "a b \"c\" 100% $X \\ \\n , x=y");
        env.put("V2", "it's");
        env.put("V3", "line1\n  indented\n\n; not a comment #nor this \nend ");
        env.put("V4", "");
        env.put("V5", "x ;y #z");
        return AgentSpec.builder("quoting").command("sh").args("a b", "say \"hi\"", "it's", "100%", "$HOME",
                "back\\slash", "line1\nline2", "  lead", "trail  \n", "", ";", "x ;y", "x #y", "#z", "%(ENV_X)s",
                "é ü", "tab\there").env(env).build();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new java.util.ArrayList<>();
        arr.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String python() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
                return Path.of(dir, "python3").toString();
            }
        }
        return null;
    }
}
