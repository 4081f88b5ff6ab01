package dev.agentdeck.cli;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Ctl;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ctl} templates, scale, group, import from other managers and export to them, against a real engine and API. */
class TransferCtlTest {
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private ApiServer server;
    private final List<Long> pids = new ArrayList<>();

    private void open(String agentsJson) throws Exception {
        home = new TestHome(tmp.resolve("home")).agentsJson(agentsJson);
        engine = LocalEngine.open(home.workspace());
        server = ApiServer.start(engine, home.workspace(), ApiOptions.parse(List.of("--api-port", "0"), ApiOptions.DEFAULT).options(),
                "serve", null);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        Engines.stopAndClose(engine, pids);
    }

    private Ctl ctl(String... args) {
        return Ctl.run(home.dir(), args);
    }

    @Test
    void templatesScaleAndGroupsFromTheCommandLine() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "worker", "command": "sleep", "args": ["300"], "tags": ["batch"]},
                  {"id": "other", "command": "sleep", "args": ["300"]}]}
                """);
        Ctl list = ctl("templates");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("python-script") && list.out().contains("built-in"), list.out());

        Ctl saved = ctl("save-template", "worker", "sleeper", "--name", "Sleeper");
        assertEquals(0, saved.exit(), saved.err());
        Ctl made = ctl("new", "sleeper", "nap", "--set", "args=[\"200\"]", "--set", "env.MODE=a=b");
        assertEquals(0, made.exit(), made.err());
        AgentSpec nap = engine.agents().stream().filter(a -> a.id().equals("nap")).findFirst().orElseThrow();
        assertEquals(List.of("200"), nap.args());
        assertEquals("a=b", nap.env().get("MODE"));
        assertEquals(AgentState.RUNNING, engine.status("nap").orElseThrow().state());
        pids.add(engine.status("nap").orElseThrow().pid());

        Ctl scaled = ctl("scale", "worker", "3");
        assertEquals(0, scaled.exit(), scaled.err());
        assertTrue(scaled.out().contains("worker-3"), scaled.out());
        Ctl group = ctl("group", "start", "batch");
        assertEquals(0, group.exit(), group.err() + group.out());
        for (String id : List.of("worker-1", "worker-2", "worker-3")) {
            assertEquals(AgentState.RUNNING, engine.status(id).orElseThrow().state(), id);
            pids.add(engine.status(id).orElseThrow().pid());
        }
        assertEquals(AgentState.STOPPED, engine.status("other").orElseThrow().state());
        Ctl stopped = ctl("group", "stop", "batch");
        assertEquals(0, stopped.exit(), stopped.err());
        assertEquals(AgentState.STOPPED, engine.status("worker-2").orElseThrow().state());
        assertEquals(4, ctl("group", "stop", "nope").exit(), "an unknown tag is an unknown name");
        assertEquals(2, ctl("scale", "worker", "many").exit());
    }

    @Test
    void importShowsThePreviewAndAddsNothingFromAFileWithProblemsUnlessAccepted() throws Exception {
        open("""
                {"version": 1, "agents": []}
                """);
        Path conf = tmp.resolve("supervisord.conf");
        Files.writeString(conf, """
                [program:api]
                command=/bin/sleep 300
                directory=/tmp
                stopwaitsecs=5

                [program:broken]
                command=/bin/sleep 1
                startretries=abc
                """);
        byte[] before = Files.readAllBytes(home.agentsFile());
        Ctl refused = ctl("import", conf.toString());
        assertEquals(1, refused.exit(), refused.out() + refused.err());
        assertTrue(refused.out().contains("startretries"), refused.out());
        assertTrue(refused.err().contains("nothing was imported"), refused.err());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()), "agents.json untouched");

        Ctl dry = ctl("import", conf.toString(), "--accept-problems", "--dry-run");
        assertEquals(0, dry.exit(), dry.err());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()), "a dry run writes nothing");

        Ctl accepted = ctl("import", conf.toString(), "--accept-problems");
        assertEquals(0, accepted.exit(), accepted.err());
        AgentSpec api = engine.agents().stream().filter(a -> a.id().equals("api")).findFirst().orElseThrow();
        assertEquals("/bin/sleep", api.command());
        assertEquals(5, api.stop().timeoutSec());
        assertFalse(engine.status("broken").isPresent());
    }

    @Test
    void exportWritesEachFormatIntoAFolderAndNeverOverwritesUnasked() throws Exception {
        open("""
                {"version": 1, "agents": [
                  {"id": "web", "command": "sleep", "args": ["300"], "env": {"API_TOKEN": "abc123"}, "port": 18100}]}
                """);
        Path out = tmp.resolve("out");
        for (String format : List.of("systemd", "supervisor", "compose", "kubernetes")) {
            Ctl c = ctl("export", "--format", format, "web", "-o", out.resolve(format).toString());
            assertEquals(0, c.exit(), format + ": " + c.err());
            try (var files = Files.list(out.resolve(format))) {
                for (Path f : files.toList()) {
                    assertFalse(Files.readString(f).contains("abc123"), f + " holds the secret in clear text");
                }
            }
        }
        Ctl again = ctl("export", "--format", "compose", "-o", out.resolve("compose").toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exist"), again.err());
        Ctl printed = ctl("export", "--format", "supervisor");
        assertTrue(printed.out().contains("[program:web]"), printed.out());
        assertEquals(2, ctl("export", "--format", "launchd").exit());
    }
}
