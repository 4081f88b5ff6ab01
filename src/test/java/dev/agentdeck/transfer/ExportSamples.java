package dev.agentdeck.transfer;

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
import dev.agentdeck.transfer.exports.ExportContext;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The agents the export tests write: one of each kind an agents.json has. */
final class ExportSamples {
    static final String SECRET = "abc123";

    private ExportSamples() {
    }

    static ExportContext context(Path configDir) {
        return new ExportContext(configDir, Path.of("/home/tester"), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    static List<AgentSpec> definitions() {
        Map<String, String> apiEnv = new LinkedHashMap<>();
        apiEnv.put("LOG_LEVEL", "debug");
        apiEnv.put("API_TOKEN", SECRET);
        apiEnv.put("PUBLIC_URL", "********");
        AgentSpec api = AgentSpec.builder("api").name("API server").command("sh")
                .args("-c", "exec sleep 1000").cwd("services/api").env(apiEnv).port(8080).autostart(true)
                .healthCheck(new HealthCheckSpec.Http("http://127.0.0.1:8080/health?full=1",
                        new ProbeTiming(10_000, 2_000, 3, 1, 5_000), true))
                .resources(new ResourceLimits(512, 150, LimitAction.RESTART))
                .dependsOn(List.of(new Dependency("db", DependencyCondition.HEALTHY),
                        new Dependency("migrate", DependencyCondition.COMPLETED)))
                .tags(List.of("web", "core")).readyLogLine("listening on").watch(List.of("services/api/src"))
                .build();
        AgentSpec db = AgentSpec.builder("db").command("sleep").args("1000").port(5432).autostart(true)
                .healthCheck(new HealthCheckSpec.Tcp("127.0.0.1", null, ProbeTiming.DEFAULT, false))
                .stop(new StopSpec(Signal.INT, 30)).tags(List.of("core")).build();
        AgentSpec migrate = AgentSpec.builder("migrate").command("sh").args("-c", "echo migrated")
                .restart(new RestartSpec(RestartPolicy.NEVER, 1000, 60_000, 5, 300, 10)).build();
        AgentSpec worker = AgentSpec.builder("worker").command("sleep").args("1000", "--id", "w-{instance}",
                        "--port", "{port}").env(Map.of("WORKER_PORT", "{port}")).port(9001).instances(3).autostart(true)
                .healthCheck(new HealthCheckSpec.Http("http://127.0.0.1:{port}/ready", ProbeTiming.DEFAULT, false))
                .dependsOn(List.of(Dependency.started("db"))).tags(List.of("web")).build();
        AgentSpec report = AgentSpec.builder("report").command("/bin/echo").args("report done")
                .schedule("*/15 9-17 * * 1-5")
                .restart(new RestartSpec(RestartPolicy.NEVER, 1000, 60_000, 5, 300, 10)).build();
        AgentSpec feeder = AgentSpec.builder("feeder").command("sleep").args("1000")
                .dependsOn(List.of(Dependency.started("worker")))
                .restart(new RestartSpec(RestartPolicy.ALWAYS, 1500, 1500, 3, 60, 5)).build();
        return List.of(api, db, migrate, worker, report, feeder);
    }

    /** Every file's text, for the checks that hold across files. */
    static String all(List<ExportFile> files) {
        StringBuilder sb = new StringBuilder();
        files.forEach(f -> sb.append(f.content()).append('\n'));
        return sb.toString();
    }
}
