package dev.agentdeck.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.SettingsStore;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.EventLog;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile agents.json and settings.json: generated, seeded cases read by the loader directly (fast), and a few
 * through a real engine at open and on reload. Every one is refused with a message that names the field (or the
 * line) and the place, nothing throws anything else, and a file that failed is never written over.
 */
@Tag("reliability")
class HostileConfigFaultTest {
    private static final int AGENT_FILE_CASES = 200;
    private static final int SETTINGS_CASES = 50;
    private static final int TEN_MB = 10 * 1024 * 1024;
    /** A refusal names what is wrong; it does not repeat a 10 MB value back. */
    private static final int MAX_MESSAGE = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void hostileAgentsFilesAreRefusedNamingTheFieldAndThePlace() {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty());
        for (int i = 0; i < AGENT_FILE_CASES; i++) {
            HostileInputs.BadFile c = i % 50 == 0 ? hugeFile(in, i) : i % 10 == 1 ? in.badTop()
                    : in.badAgentsFile(i % 5 == 0 ? 200_000 : 5_000);
            String label = "agents.json case " + i + " of seed " + in.seed() + ": " + c.label();
            ConfigException refused = refusal(label, () -> ConfigReader.read(c.bytes(), "agents.json"));
            assertNames(label, refused, "agents.json", c.mustName());
        }
    }

    @Test
    void hostileSettingsFilesAreRefusedNamingTheField() throws Exception {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty() + 1);
        Path file = tmp.resolve("settings.json");
        for (int i = 0; i < SETTINGS_CASES; i++) {
            HostileInputs.BadFile c = in.badSettingsFile();
            String label = "settings.json case " + i + " of seed " + in.seed() + ": " + c.label();
            Files.write(file, c.bytes());
            ConfigException refused = refusal(label, () -> new SettingsStore(file).load());
            assertNames(label, refused, "settings.json", c.mustName());
        }
    }

    /** An engine opened on hostile files opens, names the problems, runs nothing from them, and never writes them. */
    @Test
    void anEngineOpensOnHostileFilesAndNeverWritesOverThem() throws Exception {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty() + 2);
        for (int i = 0; i < 3; i++) {
            TestHome home = new TestHome(Files.createDirectories(tmp.resolve("open-" + i)));
            HostileInputs.BadFile agents = i < 2 ? in.badAgentsFile(100_000) : null;
            HostileInputs.BadFile settings = i >= 2 ? in.badSettingsFile() : null;
            Files.write(home.agentsFile(), agents != null ? agents.bytes() : HostileInputs.pretty(HostileInputs.doc()));
            if (settings != null) {
                Files.write(home.file("settings.json"), settings.bytes());
            }
            HostileInputs.BadFile c = agents != null ? agents : settings;
            String label = "engine open " + i + " of seed " + in.seed() + ": " + c.label();
            byte[] agentsBefore = Files.readAllBytes(home.agentsFile());
            LocalEngine engine = LocalEngine.open(home.workspace());
            List<Long> started = new ArrayList<>();
            try {
                String problems = String.join("\n", engine.configProblems().stream().map(Object::toString).toList());
                for (String word : c.mustName()) {
                    assertTrue(problems.contains(word), label + ": the problems do not name \"" + word + "\":\n" + problems);
                }
                if (agents != null) {
                    assertEquals(List.of(), engine.agents(), label + ": agents were loaded from a file with problems");
                }
                Throwable t = failure(engine.addAgent(AgentSpec.builder("added").command("sleep").args(List.of("1")).build()));
                assertTrue(t instanceof EngineException e && e.getMessage().contains("fix the file first"), label + ": " + t);
                assertArrayEquals(agentsBefore, Files.readAllBytes(home.agentsFile()), label + ": agents.json was written");
                if (settings != null) {
                    assertArrayEquals(settings.bytes(), Files.readAllBytes(home.file("settings.json")), label
                            + ": settings.json was written");
                }
                assertTrue(engine.historyProblem().isEmpty(), label + ": " + engine.historyProblem());
            } finally {
                Engines.stopAndClose(engine, started);
            }
        }
    }

    /**
     * Hostile outside edits reach a running engine (as the file watcher's reload): each is refused naming the field,
     * the running agent keeps its PID, an edit through the engine is refused instead of writing over the user's file,
     * and the file stays byte for byte what the user wrote.
     */
    @Test
    void aHostileOutsideEditIsRefusedOnReloadWhileTheAgentKeepsRunning() throws Exception {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty() + 3);
        TestHome home = new TestHome(tmp);
        ObjectNode doc = HostileInputs.doc();
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("agents")).add(HostileInputs.baseAgent("keeper"));
        byte[] good = HostileInputs.pretty(doc);
        Files.write(home.agentsFile(), good);
        LocalEngine engine = LocalEngine.open(home.workspace());
        EventLog log = new EventLog();
        engine.subscribe(log);
        List<Long> started = new ArrayList<>();
        try {
            AgentStatus keeper = engine.start("keeper").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            started.add(keeper.pid());
            for (int i = 0; i < 6; i++) {
                HostileInputs.BadFile c = i % 3 == 2 ? in.badTop() : in.badAgentsFile(100_000);
                String label = "reload case " + i + " of seed " + in.seed() + ": " + c.label();
                int before = log.ofType(EventType.CONFIG_INVALID).size();
                Files.write(home.agentsFile(), c.bytes());
                engine.reloadConfig().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                AgentEvent refused = Await.value(label + ": a config_invalid event", WAIT,
                        () -> log.ofType(EventType.CONFIG_INVALID), l -> l.size() > before).get(before);
                String said = refused.message() + "\n" + refused.details();
                for (String word : c.mustName()) {
                    assertTrue(said.contains(word), label + ": the event does not name \"" + word + "\":\n" + said);
                }
                assertTrue(said.length() < MAX_MESSAGE, label + ": the event is " + said.length() + " characters long");
                Throwable t = failure(engine.addAgent(AgentSpec.builder("added-" + i).command("sleep").args(List.of("1")).build()));
                assertTrue(t.getMessage().contains("agents.json"), label + ": " + t);
                assertArrayEquals(c.bytes(), Files.readAllBytes(home.agentsFile()), label + ": the user's file was written over");
                AgentStatus now = engine.status("keeper").orElseThrow();
                assertEquals(AgentState.RUNNING, now.state(), label);
                assertEquals(keeper.pid(), now.pid(), label + ": the running agent lost its process");
                assertEquals(List.of("good-1", "good-2", "keeper"), engine.agents().stream().map(AgentSpec::id).toList(), label);
            }
            // once the file is good again, edits work again
            Files.write(home.agentsFile(), good);
            engine.reloadConfig().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            engine.addAgent(AgentSpec.builder("added").command("sleep").args(List.of("1")).build())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(Files.readString(home.agentsFile()).contains("\"added\""));
        } finally {
            Engines.stopAndClose(engine, started);
        }
    }

    /** A file whose one agent has a 10 MB value. */
    private static HostileInputs.BadFile hugeFile(HostileInputs in, int i) {
        String huge = "x".repeat(TEN_MB);
        ObjectNode agent = HostileInputs.baseAgent("h");
        String field = in.pick(List.of("name", "command", "args", "env", "id", "cwd"));
        String what = switch (field) {
            case "args" -> {
                agent.putArray("args").add(huge);
                yield "args[0]";
            }
            case "env" -> {
                agent.putObject("env").put("BIG", huge);
                yield "env BIG";
            }
            default -> {
                agent.put(field, huge);
                yield field;
            }
        };
        ObjectNode doc = HostileInputs.doc();
        ((com.fasterxml.jackson.databind.node.ArrayNode) doc.get("agents")).insert(1, agent);
        return new HostileInputs.BadFile("agents[1]." + field + " of 10 MB", HostileInputs.pretty(doc),
                List.of(what, "agents[1]"));
    }

    private interface Load {
        Object load() throws ConfigException;
    }

    /** The ConfigException a load must end in; anything else (a result, another exception, an Error) fails. */
    private static ConfigException refusal(String label, Load load) {
        try {
            Object result = load.load();
            throw new AssertionError(label + ": was accepted as " + result);
        } catch (ConfigException e) {
            return e;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(label + ": the loader threw " + e, e);
        }
    }

    private static void assertNames(String label, ConfigException e, String file, List<String> words) {
        String msg = e.getMessage();
        assertTrue(msg.length() < MAX_MESSAGE, label + ": the message is " + msg.length() + " characters long: "
                + HostileInputs.shown(msg.substring(0, Math.min(300, msg.length()))));
        assertTrue(msg.contains(file), label + ": the message does not name " + file + ":\n" + msg);
        for (String word : words) {
            assertTrue(msg.contains(word), label + ": the message does not name \"" + word + "\":\n" + msg);
        }
        assertTrue(e.problems().stream().allMatch(p -> !p.what().isBlank()), label + ": a blank problem: " + msg);
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a refusal, got " + v);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
