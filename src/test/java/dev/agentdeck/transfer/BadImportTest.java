package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.agentdeck.transfer.ImportTestFiles.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files with errors: each error is a problem with its line and field; the good parts are still read. */
class BadImportTest {
    private static List<String> ids(ImportResult r) {
        return r.agents().stream().map(AgentSpec::id).toList();
    }

    private static ImportProblem problemAt(ImportResult r, int line) {
        return r.problems().stream().filter(p -> p.line() == line).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at line " + line + "\n" + describe(r)));
    }

    @Test
    void supervisorBadNumberMissingCommandAndBrokenLines() {
        String conf = """
                [program:good]
                command=/bin/good

                [program:bad]
                command=/bin/bad
                autostart=true
                startretries=abc

                [program:nocmd]
                directory=/tmp

                [program:broken]
                command=/bin/broken
                this line is no setting
                [program:quote]
                command=/bin/echo "unclosed
                [program:expansion]
                command=/bin/x %(nope)s
                """;
        ImportResult r = Importers.read(ImportFormat.SUPERVISOR, conf, "bad.conf");
        assertFalse(r.clean());
        assertEquals(List.of("good"), ids(r), describe(r));
        ImportProblem retries = problemAt(r, 7);
        assertEquals("startretries", retries.field());
        assertTrue(retries.toString().startsWith("bad.conf:7: startretries: \"abc\" is not a whole number"), retries.toString());
        assertTrue(problemAt(r, 9).message().contains("command is required"), describe(r));
        assertTrue(problemAt(r, 14).message().contains("[program:broken] is left out"), describe(r));
        assertEquals("command", problemAt(r, 16).field());
        assertTrue(problemAt(r, 18).message().contains("%(nope)"), describe(r));
    }

    @Test
    void supervisorDuplicateIdsAfterLowerCasing() {
        ImportResult r = Importers.read(ImportFormat.SUPERVISOR, "[program:Web]\ncommand=/a\n[program:web]\ncommand=/b\n",
                "dup.conf");
        assertEquals(List.of("web"), ids(r));
        assertEquals(3, r.problems().get(0).line(), describe(r));
        assertTrue(r.problems().get(0).message().contains("already the id"));
    }

    @Test
    void pm2BadValuesAndAppsWithoutScript() {
        String json = """
                {"apps": [
                  {"name": "ok", "script": "ok.js"},
                  {"name": "bad", "script": "bad.js",
                   "max_restarts": "lots"},
                  {"name": "noscript"},
                  42,
                  {"name": "mem", "script": "m.js", "max_memory_restart": "lots"}
                ]}""";
        ImportResult r = Importers.read(ImportFormat.PM2, json, "ecosystem.json");
        assertEquals(List.of("ok"), ids(r), describe(r));
        ImportProblem restarts = problemAt(r, 4);
        assertEquals("apps[1].max_restarts", restarts.field());
        assertTrue(restarts.toString().startsWith("ecosystem.json:4: apps[1].max_restarts: \"lots\" is not a whole number"));
        assertEquals("apps[2].script", problemAt(r, 5).field());
        assertTrue(problemAt(r, 6).message().contains("must be an object"));
        assertEquals("apps[4].max_memory_restart", problemAt(r, 7).field());
    }

    @Test
    void truncatedJsonIsOneProblemWithItsLine() {
        ImportResult r = Importers.read(ImportFormat.PM2, "{\"apps\": [\n  {\"name\": \"a\", \"script\": \"a.js\"},\n", "eco.json");
        assertEquals(List.of(), r.agents());
        assertEquals(1, r.problems().size(), describe(r));
        assertTrue(r.problems().get(0).line() >= 2, describe(r));
        assertTrue(r.problems().get(0).message().startsWith("not valid JSON"));
    }

    @Test
    void processComposeBadValueAndUnknownDependency() {
        String yaml = """
                processes:
                  ok:
                    command: "./ok"
                  bad:
                    command: "./bad"
                    replicas: many
                  nodep:
                    command: "./x"
                    depends_on:
                      ghost:
                        condition: process_started
                  weird:
                    command: "./w"
                    depends_on:
                      ok:
                        condition: process_sleeping
                """;
        ImportResult r = Importers.read(ImportFormat.PROCESS_COMPOSE, yaml, "pc.yaml");
        assertEquals(List.of("ok", "nodep"), ids(r), describe(r));
        ImportProblem replicas = problemAt(r, 6);
        assertEquals("processes.bad.replicas", replicas.field());
        assertTrue(replicas.toString().startsWith("pc.yaml:6: processes.bad.replicas: \"many\" is not a whole number"));
        assertEquals("processes.nodep.depends_on.ghost", problemAt(r, 10).field());
        assertEquals("processes.weird.depends_on.ok.condition", problemAt(r, 16).field());
        assertTrue(r.agents().get(1).dependsOn().isEmpty());
    }

    @Test
    void badYamlIsOneProblemWithItsLine() {
        ImportResult r = Importers.read(ImportFormat.PROCESS_COMPOSE,
                "processes:\n  a:\n    command: \"./a\"\n  b:\n    command: [unclosed\n", "pc.yaml");
        assertEquals(List.of(), r.agents());
        assertEquals(1, r.problems().size(), describe(r));
        assertTrue(r.problems().get(0).line() >= 5, describe(r));
        assertTrue(r.problems().get(0).message().startsWith("not valid YAML"));
    }

    @Test
    void aDependencyCycleLeavesOneOut() {
        String yaml = """
                processes:
                  a:
                    command: "./a"
                    depends_on: {b: {condition: process_started}}
                  b:
                    command: "./b"
                    depends_on: {a: {condition: process_started}}
                """;
        ImportResult r = Importers.read(ImportFormat.PROCESS_COMPOSE, yaml, "pc.yaml");
        assertFalse(r.clean());
        assertEquals(1, r.agents().size(), describe(r));
        assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("cycle")), describe(r));
    }

    @Test
    void procfileLinesThatAreNoProcesses() {
        ImportResult r = Importers.read(ImportFormat.PROCFILE,
                "web: bundle exec puma -C config/puma.rb\nthis line is wrong\nworker:\n", "Procfile");
        assertEquals(List.of("web"), ids(r));
        assertEquals(2, r.problems().size(), describe(r));
        assertEquals(2, r.problems().get(0).line());
        assertEquals(3, r.problems().get(1).line());
        assertEquals("worker", r.problems().get(1).field());
    }

    @Test
    void hugeInputIsRefused() {
        String huge = "web: run\n".repeat(Importers.MAX_CHARS / 9 + 1);
        ImportResult r = Importers.read(ImportFormat.PROCFILE, huge, "Procfile");
        assertEquals(List.of(), r.agents());
        assertTrue(r.problems().get(0).message().contains("5 MB"), describe(r));
    }

    @Test
    void noFormatOrNoTextIsAProblemNotAnException() {
        assertFalse(Importers.read(null, "x", "f").clean());
        assertFalse(Importers.read(ImportFormat.PM2, null, null).clean());
    }
}
