package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.Signal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.agentdeck.transfer.ImportTestFiles.agent;
import static dev.agentdeck.transfer.ImportTestFiles.describe;
import static dev.agentdeck.transfer.ImportTestFiles.noted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessComposeImportTest {
    private static ImportResult read(String text) {
        return Importers.read(ImportFormat.PROCESS_COMPOSE, text, "process-compose.yaml");
    }

    @Test
    void aRealFileGivesItsProcessesWithDependenciesAndProbes() {
        ImportResult r = read(ImportTestFiles.text("process-compose.yaml"));
        assertTrue(r.clean(), describe(r));
        assertEquals(List.of("postgres", "migrate", "api", "worker", "docs"),
                r.agents().stream().map(AgentSpec::id).toList());

        AgentSpec pg = agent(r, "postgres");
        assertEquals("sh", pg.command());
        assertEquals(List.of("-c", "postgres -D ./.data/pg -k /tmp -p 5432"), pg.args());
        assertEquals("/home/ada/shop", pg.cwd());
        assertEquals(Map.of("APP_ENV", "dev"), pg.env());
        assertEquals(new HealthCheckSpec.Command(List.of("sh", "-c", "pg_isready -h 127.0.0.1 -p 5432"),
                new ProbeTiming(5000, 3000, 10, 1, 2000), false), pg.healthCheck());
        assertEquals(Signal.INT, pg.stop().signal());
        assertEquals(30, pg.stop().timeoutSec());
        assertEquals(RestartPolicy.ON_FAILURE, pg.restart().policy());
        assertEquals(3000, pg.restart().delayMs());
        assertEquals(5, pg.restart().burst());
        assertTrue(pg.autostart());

        AgentSpec migrate = agent(r, "migrate");
        assertEquals(List.of(new Dependency("postgres", DependencyCondition.HEALTHY)), migrate.dependsOn());
        assertEquals(RestartPolicy.NEVER, migrate.restart().policy(), "process-compose restarts nothing by default");

        AgentSpec api = agent(r, "api");
        assertEquals(List.of(new Dependency("migrate", DependencyCondition.COMPLETED),
                new Dependency("postgres", DependencyCondition.HEALTHY)), api.dependsOn());
        assertEquals(new HealthCheckSpec.Http("http://127.0.0.1:8000/healthz",
                new ProbeTiming(10_000, 1000, 3, 1, 0), true), api.healthCheck());
        assertEquals(Map.of("APP_ENV", "dev", "DATABASE_URL", "postgres://shop@127.0.0.1:5432/shop", "WORKERS", "2"),
                api.env());
        assertEquals(RestartPolicy.ALWAYS, api.restart().policy());
        assertEquals("Application startup complete", api.readyLogLine());
        assertTrue(Pattern.compile(api.readyLogLine()).matcher("INFO: Application startup complete.").find());

        AgentSpec worker = agent(r, "worker");
        assertEquals(3, worker.instances());
        assertEquals(List.of("jobs"), worker.tags());
        assertEquals(List.of(new Dependency("api", DependencyCondition.STARTED)), worker.dependsOn());
        assertEquals(RestartPolicy.NEVER, worker.restart().policy());
        assertEquals(20, worker.stop().timeoutSec());
        assertEquals("QUEUE", List.copyOf(worker.env().keySet()).get(1));

        AgentSpec docs = agent(r, "docs");
        assertFalse(docs.autostart());
        assertNull(docs.healthCheck());
    }

    @Test
    void whatIsNotCarriedIsNoted() {
        ImportResult r = read(ImportTestFiles.text("process-compose.yaml"));
        assertTrue(noted(r, "api", "readiness_probe"), describe(r));
        assertTrue(noted(r, "api", "log_location"));
        assertTrue(noted(r, "worker", "availability.restart"), describe(r));
        assertTrue(noted(r, "worker", "shutdown.command"));
        assertTrue(noted(r, "docs", "description"));
        assertFalse(noted(r, "docs", "is_daemon"), "is_daemon: false is how AgentDeck runs it anyway");
        assertTrue(noted(r, "", "log_location"));
        assertTrue(noted(r, "", "log_level"));
        assertFalse(noted(r, "", "environment"), "the top-level environment is carried into every agent");
    }

    @Test
    void aFileShellAndMapEnvironmentAndEntrypoint() {
        ImportResult r = read("""
                shell:
                  shell_command: bash
                  shell_argument: -lc
                processes:
                  Web Server:
                    command: "exec ./serve --port $PORT"
                    environment:
                      PORT: 8080
                      DEBUG: true
                  tool:
                    entrypoint: ["python3", "-m", "tool", "--flag=a b"]
                    ready_log_line: "ready (v1.2) [ok]"
                """);
        assertTrue(r.clean(), describe(r));
        AgentSpec web = agent(r, "web-server");
        assertEquals("Web Server", web.name());
        assertEquals("bash", web.command());
        assertEquals(List.of("-lc", "exec ./serve --port $PORT"), web.args());
        assertEquals(Map.of("PORT", "8080", "DEBUG", "true"), web.env());
        AgentSpec tool = agent(r, "tool");
        assertEquals("python3", tool.command());
        assertEquals(List.of("-m", "tool", "--flag=a b"), tool.args());
        assertTrue(Pattern.compile(tool.readyLogLine()).matcher("12:00 ready (v1.2) [ok]").find());
        assertFalse(Pattern.compile(tool.readyLogLine()).matcher("ready (v1x2) [ok]").find());
    }
}
