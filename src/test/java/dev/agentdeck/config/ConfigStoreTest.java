package dev.agentdeck.config;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.StopSpec;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigStoreTest {
    @TempDir
    Path tmp;

    private ConfigStore store() {
        return new ConfigStore(tmp.resolve("agents.json"));
    }

    private List<String> problemsOf(String json) {
        TestHome.write(tmp.resolve("agents.json"), json);
        ConfigException e = assertThrows(ConfigException.class, () -> store().load());
        return e.problemLines();
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        List<String> p = problemsOf("{\"version\": 1,\n \"agents\": [\n  {\"id\": \"a\" \"command\": \"x\"}]}");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("agents.json: line 3, column"), p.get(0));
    }

    @Test
    void invalidUtf8IsRefusedWithItsLineEvenInTheFormJacksonLetsThrough() throws Exception {
        // C0 AF is an overlong '/': read leniently, "..\xC0\xAF" would be "../"
        byte[] doc = "{\"version\": 1,\n \"agents\": [{\"id\": \"a\", \"command\": \"..\u00c0\u00afx\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(tmp.resolve("agents.json"), doc);
        ConfigException e = assertThrows(ConfigException.class, () -> store().load());
        assertEquals(List.of("agents.json: line 2, column 39: byte 0xC0 is not valid UTF-8 (save the file as UTF-8)"),
                e.problemLines());
    }

    @Test
    void tooDeepNestingNamesWhereItStopped() {
        List<String> p = problemsOf("{\"version\": 1,\n \"agents\": " + "[".repeat(5_000));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("agents.json: line 2, column") && p.get(0).contains("nesting depth"), p.get(0));
    }

    @Test
    void aHostileIdIsShownPrintableAndCutNotRepeatedInEveryProblem() {
        String id = "\\u001b[31m" + "x".repeat(1_000_000);
        List<String> p = problemsOf("{\"version\": 1, \"agents\": [{\"id\": \"" + id + "\", \"port\": 0},"
                + " {\"id\": \"" + id + "\", \"command\": \"sleep\"}]}");
        assertTrue(p.size() >= 4, p.toString());
        for (String line : p) {
            assertTrue(line.length() < 400 && !line.contains("\u001b"), line.substring(0, Math.min(line.length(), 400)));
            assertTrue(line.startsWith("agents[0] \"\\u001b[31mxxx") || line.startsWith("agents[1] \"\\u001b[31mxxx"), line.substring(0, Math.min(line.length(), 400)));
        }
    }

    @Test
    void unknownFieldsAreNamedWithTheAgentAndASuggestion() {
        List<String> p = problemsOf("""
                {"version": 1, "agents": [
                  {"id": "ok", "command": "sleep"},
                  {"id": "worker", "comand": "python3", "restart": {"polcy": "always"}}]}
                """);
        assertTrue(p.contains("agents[1] \"worker\": unknown field \"comand\" (did you mean \"command\"?)"), p.toString());
        assertTrue(p.contains("agents[1] \"worker\": unknown field \"restart.polcy\" (did you mean \"restart.policy\"?)"), p.toString());
        assertTrue(p.contains("agents[1] \"worker\": command is required"), p.toString());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> p = problemsOf("""
                {"version": 1, "agents": [
                  {"id": "Bad Id", "command": "x"},
                  {"id": "a", "command": "x", "port": "8001", "args": "--fast"},
                  {"id": "a", "command": "y", "stop": {"signal": "NOPE"}, "dependsOn": ["ghost"]}]}
                """);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("agents[0] \"Bad Id\": id \"Bad Id\" must match")), p.toString());
        assertTrue(p.contains("agents[1] \"a\": port must be a whole number, got the string \"8001\""), p.toString());
        assertTrue(p.contains("agents[1] \"a\": args must be an array of strings, got the string \"--fast\""), p.toString());
        assertTrue(p.contains("agents[2] \"a\": id \"a\" is already used by agents[1]"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("agents[2] \"a\": stop.signal \"NOPE\" is not a signal")), p.toString());
        assertTrue(p.contains("agents[2] \"a\": dependsOn names \"ghost\", which is not an agent here"), p.toString());
    }

    @Test
    void dependencyCycleIsNamed() {
        List<String> p = problemsOf("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "x", "dependsOn": ["c"]},
                  {"id": "b", "command": "x", "dependsOn": ["a"]},
                  {"id": "c", "command": "x", "dependsOn": ["b"]}]}
                """);
        assertEquals(List.of("agents[0] \"a\": dependsOn forms a cycle: a -> c -> b -> a"), p);
    }

    @Test
    void duplicateJsonKeysAreAnError() {
        List<String> p = problemsOf("{\"version\": 1, \"agents\": [{\"id\": \"a\", \"command\": \"x\", \"command\": \"y\"}]}");
        assertTrue(p.get(0).contains("Duplicate field 'command'"), p.toString());
    }

    @Test
    void missingFileIsAnEmptyConfig() throws Exception {
        assertEquals(WorkspaceConfig.EMPTY, store().load().config());
        assertEquals(FileStamp.ABSENT, store().load().stamp());
    }

    @Test
    void everyFieldRoundTripsThroughWriteAndRead() throws Exception {
        AgentSpec full = AgentSpec.builder("researcher").name("Researcher").type("agent").command("python3")
                .args("servers/researcher_server.py", "--port", "8001").cwd("~/work/cortex")
                .env(Map.of("PYTHONPATH", ".")).envFile(".env").port(8001).match("researcher_server.py").autostart(true)
                .restart(new RestartSpec(RestartPolicy.ALWAYS, 500, 30_000, 3, 60, 5))
                .stop(new StopSpec(Signal.INT, 4))
                .healthCheck(new HealthCheckSpec.Http("http://127.0.0.1:8001/health",
                        new ProbeTiming(10_000, 2_000, 2, 2, 500), true))
                .resources(new ResourceLimits(2048, 50, LimitAction.WARN))
                .dependsOn(List.of(Dependency.started("db"), new Dependency("cache", DependencyCondition.HEALTHY)))
                .tags(List.of("research", "llm")).build();
        AgentSpec tcp = AgentSpec.builder("cache").command("redis-server")
                .healthCheck(new HealthCheckSpec.Tcp("127.0.0.1", 6379, ProbeTiming.DEFAULT, false)).build();
        AgentSpec cmd = AgentSpec.builder("db").command("postgres")
                .healthCheck(new HealthCheckSpec.Command(List.of("pg_isready"), ProbeTiming.DEFAULT, false)).build();
        AgentSpec daemon = AgentSpec.builder("web").command("nginx")
                .daemon(new dev.agentdeck.core.DaemonSpec("run/nginx.pid", 12)).build();
        AgentSpec forking = AgentSpec.builder("redis").command("redis-server")
                .daemon(new dev.agentdeck.core.DaemonSpec(null, dev.agentdeck.core.DaemonSpec.DEFAULT_TIMEOUT_SEC)).build();
        WorkspaceConfig config = new WorkspaceConfig(1, List.of(cmd, tcp, full, daemon, forking));
        byte[] bytes = ConfigWriter.write(config);
        assertEquals(config, ConfigReader.read(bytes, "agents.json"));
        String text = new String(bytes);
        assertTrue(text.contains("\"id\": \"db\",\n      \"command\": \"postgres\""), text);
        assertFalse(text.contains("\"restart\"") && text.indexOf("\"restart\"") < text.indexOf("researcher"),
                "defaults are left out of the file");
    }

    @Test
    void saveKeepsABackupAndWritesAtomically() throws Exception {
        ConfigStore store = store();
        WorkspaceConfig one = new WorkspaceConfig(1, List.of(AgentSpec.of("a", "sleep", List.of("1"))));
        FileStamp s1 = store.save(one, FileStamp.ABSENT);
        WorkspaceConfig two = one.with(AgentSpec.of("b", "sleep", List.of("2")));
        byte[] before = Files.readAllBytes(store.file());
        store.save(two, s1);
        assertArrayEquals(before, Files.readAllBytes(store.backupFile()));
        assertEquals(two, store.load().config());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("agents.json", "agents.json.bak"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temp file is left behind");
        }
    }

    @Test
    void saveRefusesWhenTheFileChangedOnDiskAndLeavesItByteIdentical() throws Exception {
        ConfigStore store = store();
        FileStamp stamp = store.save(new WorkspaceConfig(1, List.of(AgentSpec.of("a", "sleep", List.of()))), FileStamp.ABSENT);
        TestHome.write(store.file(), "{ this is the user's half-edited file");
        byte[] edited = Files.readAllBytes(store.file());
        ConfigException e = assertThrows(ConfigException.class,
                () -> store.save(new WorkspaceConfig(1, List.of(AgentSpec.of("b", "sleep", List.of()))), stamp));
        assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
        assertArrayEquals(edited, Files.readAllBytes(store.file()));
    }

    @Test
    void saveRefusesAnInvalidConfigAndWritesNothing() throws Exception {
        ConfigStore store = store();
        FileStamp stamp = store.save(new WorkspaceConfig(1, List.of(AgentSpec.of("a", "sleep", List.of()))), FileStamp.ABSENT);
        byte[] before = Files.readAllBytes(store.file());
        WorkspaceConfig cyclic = new WorkspaceConfig(1, List.of(
                AgentSpec.builder("a").command("x").dependsOnIds("b").build(),
                AgentSpec.builder("b").command("x").dependsOnIds("a").build()));
        ConfigException e = assertThrows(ConfigException.class, () -> store.save(cyclic, stamp));
        assertTrue(e.problemLines().contains("agents[0] \"a\": dependsOn forms a cycle: a -> b -> a"), e.problemLines().toString());
        assertArrayEquals(before, Files.readAllBytes(store.file()));
        assertFalse(Files.exists(store.backupFile()));
    }

    @Test
    void daemonSectionsAreCheckedFieldByField() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigReader.read("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "x", "daemon": {"pidfile": "a.pid"}},
                  {"id": "b", "command": "x", "daemon": {"timeoutSec": 0}},
                  {"id": "c", "command": "x", "daemon": {}, "readyLogLine": "ready"},
                  {"id": "d", "command": "x", "daemon": true}]}
                """.getBytes(), "agents.json"));
        List<String> p = e.problemLines();
        assertTrue(p.stream().anyMatch(l -> l.startsWith("agents[0] \"a\"") && l.contains("unknown field \"daemon.pidfile\"")), p.toString());
        assertTrue(p.contains("agents[1] \"b\": daemon.timeoutSec 0 is outside 1..3600"), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("agents[2] \"c\": readyLogLine cannot be used with daemon")), p.toString());
        assertTrue(p.stream().anyMatch(l -> l.startsWith("agents[3] \"d\"") && l.contains("daemon")), p.toString());
    }

    @Test
    void settingsAreStrictToo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SettingsStore.parse("{\"maxAgent\": 5, \"startGraceMs\": -1}".getBytes(), "settings.json"));
        assertTrue(e.problemLines().contains("settings.json: unknown field \"maxAgent\" (did you mean \"maxAgents\"?)"),
                e.problemLines().toString());
        assertTrue(e.problemLines().contains("settings.json: startGraceMs -1 is outside 0..60000"), e.problemLines().toString());
        ConfigException c = assertThrows(ConfigException.class,
                () -> SettingsStore.parse("{\"containment\": \"cgroups\"}".getBytes(), "settings.json"));
        assertTrue(c.problemLines().contains("settings.json: containment \"cgroups\" must be auto or tracked"), c.problemLines().toString());
    }
}
