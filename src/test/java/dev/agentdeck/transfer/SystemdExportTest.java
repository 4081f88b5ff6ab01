package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.agentdeck.transfer.UnitFiles.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SystemdExportTest {
    private static final Path CONFIG = Path.of("/work/cfg");

    private static Map<String, ExportFile> export(List<AgentSpec> agents) {
        return Exporters.write(ExportFormat.SYSTEMD, agents, ExportSamples.context(CONFIG)).stream()
                .collect(Collectors.toMap(ExportFile::name, f -> f, (a, b) -> a, LinkedHashMap::new));
    }

    @Test
    void writesAUnitPerAgentATemplateForInstancesAndATimerForTheSchedule() {
        Map<String, ExportFile> files = export(ExportSamples.definitions());
        assertEquals(List.of("agentdeck-api.service", "agentdeck-db.service", "agentdeck-migrate.service",
                "agentdeck-worker@.service", "agentdeck-report.service", "agentdeck-report.timer",
                "agentdeck-feeder.service"), List.copyOf(files.keySet()));
        files.values().forEach(f -> assertTrue(f.content().startsWith("# Exported from AgentDeck"), f.name()));
    }

    @Test
    void mapsThePlainAgentsKeys() {
        var unit = UnitFiles.parse(export(ExportSamples.definitions()).get("agentdeck-api.service").content());
        List<String> argv = UnitFiles.exec(one(unit, "Service", "ExecStart"));
        assertTrue(Path.of(argv.get(0)).isAbsolute(), argv.get(0));
        assertTrue(argv.get(0).endsWith("/sh"), argv.get(0));
        assertEquals(List.of("-c", "exec sleep 1000"), argv.subList(1, argv.size()));
        assertEquals("/work/cfg/services/api", one(unit, "Service", "WorkingDirectory"));
        assertEquals(Map.of("LOG_LEVEL", "debug"), UnitFiles.environment(unit.get("Service").get("Environment")));
        assertEquals(List.of("%h/.config/agentdeck/secrets/api.env"), unit.get("Service").get("EnvironmentFile"));
        assertEquals("agentdeck-db.service agentdeck-migrate.service", one(unit, "Unit", "Requires"));
        assertEquals("agentdeck-db.service agentdeck-migrate.service", one(unit, "Unit", "After"));
        assertEquals("5", one(unit, "Unit", "StartLimitBurst"));
        assertEquals("300s", one(unit, "Unit", "StartLimitIntervalSec"));
        assertEquals("on-failure", one(unit, "Service", "Restart"));
        assertEquals("1s", one(unit, "Service", "RestartSec"));
        assertEquals("10s", one(unit, "Service", "TimeoutStopSec"));
        assertEquals("SIGTERM", one(unit, "Service", "KillSignal"));
        assertEquals("control-group", one(unit, "Service", "KillMode"));
        assertEquals("512M", one(unit, "Service", "MemoryMax"));
        assertEquals("150%", one(unit, "Service", "CPUQuota"));
        assertEquals("default.target", one(unit, "Install", "WantedBy"));
    }

    @Test
    void aDaemonModeAgentIsAForkingServiceWithItsPidFile() {
        AgentSpec nginx = AgentSpec.builder("web").command("sleep").args("1")
                .daemon(new dev.agentdeck.core.DaemonSpec("run/nginx.pid", 20)).build();
        var unit = UnitFiles.parse(export(List.of(nginx)).get("agentdeck-web.service").content());
        assertEquals("forking", one(unit, "Service", "Type"));
        assertEquals("/work/cfg/run/nginx.pid", one(unit, "Service", "PIDFile"));
        assertEquals("20s", one(unit, "Service", "TimeoutStartSec"));
        String compose = Exporters.write(ExportFormat.COMPOSE, List.of(nginx), ExportSamples.context(CONFIG)).get(0).content();
        assertTrue(compose.contains("daemon: Docker Compose expects the program to stay in the foreground"), compose);
    }

    @Test
    void dependenciesOnInstancesAndOnJobs() {
        Map<String, ExportFile> files = export(ExportSamples.definitions());
        var feeder = UnitFiles.parse(files.get("agentdeck-feeder.service").content());
        assertEquals("agentdeck-worker@1.service agentdeck-worker@2.service agentdeck-worker@3.service",
                one(feeder, "Unit", "Requires"));
        assertEquals("always", one(feeder, "Service", "Restart"));
        assertEquals("1500ms", one(feeder, "Service", "RestartSec"));
        assertNull(feeder.get("Install"), "not autostart");
        var migrate = UnitFiles.parse(files.get("agentdeck-migrate.service").content());
        assertEquals("oneshot", one(migrate, "Service", "Type"), "api waits for it to complete");
        assertEquals("no", one(migrate, "Service", "Restart"));
        assertEquals("yes", one(migrate, "Service", "RemainAfterExit"), "a restart of api does not run it again");
    }

    @Test
    void theTemplateUsesTheInstanceNumberAndWritesPortsItCan() {
        ExportFile f = export(ExportSamples.definitions()).get("agentdeck-worker@.service");
        var unit = UnitFiles.parse(f.content());
        assertEquals(List.of("1000", "--id", "w-%i", "--port", "900%i"),
                UnitFiles.exec(one(unit, "Service", "ExecStart")).subList(1, 6));
        assertEquals(Map.of("WORKER_PORT", "900%i"), UnitFiles.environment(unit.get("Service").get("Environment")));
        assertTrue(f.content().contains("systemctl --user enable --now agentdeck-worker@{1..3}.service"));

        AgentSpec odd = ExportSamples.definitions().get(3).toBuilder().port(8080).build();
        ExportFile g = export(List.of(odd)).get("agentdeck-worker@.service");
        assertTrue(g.content().contains("--port {port}"), g.content());
        assertTrue(g.content().contains("#     - {port}: systemd cannot compute"), g.content());
    }

    @Test
    void theScheduleBecomesATimer() {
        var timer = UnitFiles.parse(export(ExportSamples.definitions()).get("agentdeck-report.timer").content());
        assertEquals(List.of("Mon..Fri *-*-* 09..17:00,15,30,45:00"), timer.get("Timer").get("OnCalendar"));
        assertEquals("timers.target", one(timer, "Install", "WantedBy"));
        AgentSpec monthly = ExportSamples.definitions().get(4).toBuilder().schedule("@reboot").build();
        Map<String, ExportFile> files = export(List.of(monthly));
        assertFalse(files.containsKey("agentdeck-report.timer"));
        assertTrue(files.get("agentdeck-report.service").content().contains("schedule: \"@reboot\" has no calendar form"));
    }

    @Test
    void theHeaderSaysWhatDidNotMap() {
        String api = export(ExportSamples.definitions()).get("agentdeck-api.service").content();
        for (String field : List.of("healthCheck:", "readyLogLine:", "watch:", "restart.maxDelayMs:",
                "restart.resetAfterSec:", "port:", "tags:", "dependsOn db:", "env API_TOKEN, PUBLIC_URL:")) {
            assertTrue(api.contains("#     - " + field), field + " in\n" + api);
        }
    }

    @Test
    void quotingSurvivesSystemdsUnquoting() {
        List<String> args = List.of("a b", "say \"hi\"", "it's", "100%", "$HOME", "${X}", "$$", "back\\slash",
                "line1\nline2", "tab\there", "", ";", "#hash", "%i", "é ü", "\u0001");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("V1", "a b \"c\" 'd' 100% $X \\ \\n");
        env.put("V2", "line1\nline2\n");
        env.put("V3", "");
        env.put("V4", " lead and trail ");
        AgentSpec a = AgentSpec.builder("quoting").command("sh").args(args).env(env).build();
        var unit = UnitFiles.parse(export(List.of(a)).get("agentdeck-quoting.service").content());
        List<String> argv = UnitFiles.exec(one(unit, "Service", "ExecStart"));
        assertEquals(args, argv.subList(1, argv.size()));
        assertEquals(env, UnitFiles.environment(unit.get("Service").get("Environment")));
    }

    @Test
    void systemdAnalyzeVerifiesTheUnits(@TempDir Path dir) throws Exception {
        Path analyze = onPath("systemd-analyze");
        assumeTrue(analyze != null, "systemd-analyze is not installed here");
        List<AgentSpec> agents = new ArrayList<>(ExportSamples.definitions());
        agents.add(AgentSpec.builder("quoting").command("sh").args("-c", "echo \"$1 100%\" ; exit 0", "x y").build());
        List<String> command = new ArrayList<>(List.of(analyze.toString(), "--user", "verify"));
        for (ExportFile f : Exporters.write(ExportFormat.SYSTEMD, agents, ExportSamples.context(dir))) {
            Files.writeString(dir.resolve(f.name()), f.content(), StandardCharsets.UTF_8);
            command.add(dir.resolve(f.name().replace("@.", "@1.")).toString());
        }
        Path runtime = Files.createDirectories(dir.resolve("runtime"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze timed out");
        assertEquals(0, p.exitValue(), output);
        assertFalse(output.contains("agentdeck"), output);
    }

    private static Path onPath(String name) throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = dir.isEmpty() ? null : Path.of(dir, name);
            if (p != null && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
