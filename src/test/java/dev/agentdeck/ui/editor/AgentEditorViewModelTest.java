package dev.agentdeck.ui.editor;

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
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.ui.util.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The editor's ViewModel over a real engine, without the FX toolkit (a single thread plays the FX thread). */
class AgentEditorViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Messages msg = Messages.load(Locale.ENGLISH);

    @BeforeEach
    void setUp() throws Exception {
        home = new TestHome(tmp);
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "db", "name": "Database", "command": "sleep", "args": ["300"]},
                  {"id": "api", "command": "sleep", "args": ["300"]},
                  {"id": "api-copy", "command": "sleep", "args": ["300"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
    }

    @AfterEach
    void tearDown() {
        engine.close();
        timer.shutdownNow();
        ui.shutdownNow();
    }

    private AgentEditorViewModel open(EditorMode mode, AgentSpec spec) {
        return on(() -> new AgentEditorViewModel(engine, ui, timer, msg, mode, spec));
    }

    private <T> T on(Callable<T> call) {
        try {
            return ui.submit(call).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void set(Runnable r) {
        on(() -> {
            r.run();
            return null;
        });
    }

    private Map<String, String> settledErrors(AgentEditorViewModel vm) {
        Await.until("validation settles", WAIT, () -> on(() -> !vm.validatingProperty().get()));
        return on(() -> new LinkedHashMap<>(vm.errors()));
    }

    @Test
    void aFullSpecComesBackUnchangedThroughTheForm() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENAI_API_KEY", "sk-123");
        env.put("MODE", "fast lane");
        AgentSpec full = AgentSpec.builder("worker").name("Worker").type("bot").command("sleep")
                .args(List.of("300", "two words", "quote\"d", "")).cwd(tmp.toString()).env(env).envFile(".env")
                .port(18_123).match("worker.py").autostart(true)
                .restart(new RestartSpec(RestartPolicy.ALWAYS, 500, 8_000, 7, 120, 30))
                .stop(new StopSpec(Signal.INT, 4))
                .healthCheck(new HealthCheckSpec.Tcp("127.0.0.1", 18_124, new ProbeTiming(2_000, 500, 2, 2, 100), true))
                .resources(new ResourceLimits(256, 80, LimitAction.WARN))
                .dependsOn(List.of(new Dependency("db", DependencyCondition.HEALTHY)))
                .tags(List.of("research", "prod")).readyLogLine("Listening on").build();
        AgentEditorViewModel vm = open(EditorMode.EDIT, full);
        assertEquals(full, on(vm::toSpec));
        assertFalse(on(() -> vm.dirtyProperty().get()));
        set(() -> vm.nameProperty().set("Worker 2"));
        assertTrue(on(() -> vm.dirtyProperty().get()));

        AgentSpec http = full.toBuilder().healthCheck(new HealthCheckSpec.Http("http://127.0.0.1:1/health",
                ProbeTiming.DEFAULT, false)).build();
        AgentEditorViewModel httpVm = open(EditorMode.EDIT, http);
        assertEquals(http, on(httpVm::toSpec));
        AgentSpec command = full.toBuilder().healthCheck(new HealthCheckSpec.Command(List.of("test", "-f", "ok file"),
                ProbeTiming.DEFAULT, false)).build();
        AgentEditorViewModel commandVm = open(EditorMode.EDIT, command);
        assertEquals(command, on(commandVm::toSpec));
        AgentSpec daemon = full.toBuilder().readyLogLine(null)
                .daemon(new dev.agentdeck.core.DaemonSpec("run/worker.pid", 12)).build();
        AgentEditorViewModel daemonVm = open(EditorMode.EDIT, daemon);
        assertEquals(daemon, on(daemonVm::toSpec), "editing an agent in daemon mode keeps its daemon section");
        set(() -> daemonVm.daemonizesProperty().set(false));
        assertEquals(null, on(daemonVm::toSpec).daemon());
    }

    @Test
    void secretLookingNamesAreMaskedAndArgumentsRoundTrip() {
        assertTrue(new EnvRow("OPENAI_API_KEY", "k").secretProperty().get());
        assertTrue(new EnvRow("github_token", "t").secretProperty().get());
        assertTrue(new EnvRow("DB_PASSWORD", "p").secretProperty().get());
        assertTrue(new EnvRow("client_secret", "s").secretProperty().get());
        assertFalse(new EnvRow("PATH", "/bin").secretProperty().get());
        assertFalse(new EnvRow("MODE", "dev").secretProperty().get());
        List<String> args = List.of("a", "b c", "d\"e", "back\\slash", "", "'single'");
        assertEquals(args, ArgsLine.split(ArgsLine.join(args)));
        assertEquals(List.of("x y", "z"), ArgsLine.split("'x y' z"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArgsLine.split("a \"b"));
        assertTrue(e.getMessage().contains("column 3"), e.getMessage());
    }

    @Test
    void aTakenIdAndAFieldThatIsNotANumberAreNamedAndBlockSaving() {
        AgentEditorViewModel vm = open(EditorMode.ADD, null);
        set(() -> {
            vm.idProperty().set("db");
            vm.commandProperty().set("sleep");
        });
        Map<String, String> errors = settledErrors(vm);
        assertEquals("id \"db\" is already used by another agent", errors.get("id"));
        assertFalse(on(() -> vm.canSaveProperty().get()));
        set(() -> {
            vm.idProperty().set("fresh");
            vm.delayMsProperty().set("soon");
        });
        errors = settledErrors(vm);
        assertEquals("restart.delayMs: \"soon\" is not a whole number", errors.get("restart.delayMs"));
        assertFalse(errors.containsKey("id"));
        set(() -> vm.delayMsProperty().set("250"));
        Await.until("the form is valid", WAIT, () -> on(() -> vm.canSaveProperty().get()));
    }

    @Test
    void theEnginesChecksAppearAtTheirFields() throws Exception {
        AgentEditorViewModel vm = open(EditorMode.ADD, null);
        set(() -> {
            vm.idProperty().set("new");
            vm.commandProperty().set("no-such-command-anywhere");
            vm.cwdProperty().set(tmp.resolve("missing").toString());
        });
        Map<String, String> errors = settledErrors(vm);
        assertTrue(errors.getOrDefault("cwd", "").contains("does not exist"), errors.toString());
        set(() -> vm.cwdProperty().set(tmp.toString()));
        errors = settledErrors(vm);
        assertTrue(errors.getOrDefault("command", "").contains("\"no-such-command-anywhere\""), errors.toString());
        assertFalse(errors.containsKey("cwd"));

        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            set(() -> {
                vm.commandProperty().set("sleep");
                vm.portProperty().set(String.valueOf(taken.getLocalPort()));
            });
            errors = settledErrors(vm);
            String held = errors.getOrDefault("port.held", "");
            assertTrue(held.contains("is held by PID " + ProcessHandle.current().pid()), errors.toString());
            assertTrue(on(() -> vm.canSaveProperty().get()), "a port warning does not block saving");
        }

        AgentEditorViewModel db = open(EditorMode.EDIT, engine.agents().get(0));
        set(() -> db.dependencies().stream().filter(d -> d.id().equals("api")).findFirst().orElseThrow()
                .chosenProperty().set(true));
        assertEquals(null, settledErrors(db).get("dependsOn"));
        engine.updateAgent(engine.agents().get(1).toBuilder().dependsOnIds("db").build()).get(10, TimeUnit.SECONDS);
        AgentEditorViewModel cyc = open(EditorMode.EDIT, engine.agents().get(0));
        set(() -> cyc.dependencies().stream().filter(d -> d.id().equals("api")).findFirst().orElseThrow()
                .chosenProperty().set(true));
        assertTrue(settledErrors(cyc).getOrDefault("dependsOn", "").contains("cycle"), settledErrors(cyc).toString());
    }

    @Test
    void duplicateProposesAFreeIdAndAddsTheCopy() throws Exception {
        AgentEditorViewModel vm = open(EditorMode.DUPLICATE, engine.agents().get(1));
        assertEquals("api-copy-2", on(() -> vm.idProperty().get()), "api-copy is taken");
        AgentEditorViewModel db = open(EditorMode.DUPLICATE, engine.agents().get(0));
        assertEquals("db-copy", on(() -> db.idProperty().get()));
        assertEquals("Database (copy)", on(() -> db.nameProperty().get()));
        Await.until("the copy may be saved", WAIT, () -> on(() -> db.canSaveProperty().get()));
        AgentSpec saved = on(db::save).get(10, TimeUnit.SECONDS);
        assertEquals("db-copy", saved.id());
        assertTrue(home.read("agents.json").contains("\"db-copy\""));
    }

    @Test
    void aRefusedSaveKeepsTheFormAndTheFile() throws Exception {
        String before = home.read("agents.json");
        AgentEditorViewModel vm = open(EditorMode.ADD, null);
        set(() -> {
            vm.idProperty().set("broken");
            vm.commandProperty().set("sleep");
            vm.cwdProperty().set("/definitely/not/here");
        });
        Throwable refused = assertThrows(Exception.class, () -> on(vm::save).get(10, TimeUnit.SECONDS));
        assertTrue(String.valueOf(refused.getMessage()).contains("not saved") || refused.getCause() != null);
        Await.until("the refusal is shown", WAIT, () -> on(() -> vm.summaryProperty().get()).contains("does not exist"));
        assertEquals("/definitely/not/here", on(() -> vm.cwdProperty().get()));
        assertEquals("broken", on(() -> vm.idProperty().get()));
        assertEquals(before, home.read("agents.json"));
    }

    @Test
    void aUrlPasswordIsShownMaskedKeptThroughEditsAndRevealedOnlyWhenAsked() throws Exception {
        String url = "postgres://app:pw-42@db/app";
        AgentSpec db = engine.agents().get(0).toBuilder().env(Map.of("DATABASE_URL", url, "PWD", "/srv")).build();
        engine.updateAgent(db).get(10, TimeUnit.SECONDS);
        AgentEditorViewModel vm = open(EditorMode.EDIT, db);
        EnvRow row = on(() -> vm.env().stream().filter(r -> r.nameProperty().get().equals("DATABASE_URL")).findFirst().orElseThrow());
        assertEquals("postgres://app:" + dev.agentdeck.core.Secrets.MASK + "@db/app", on(() -> row.valueProperty().get()),
                "the password is not on screen");
        assertFalse(on(() -> row.secretProperty().get()), "the rest of the URL is, in a plain field");
        assertEquals(db, on(vm::toSpec), "the form still stands for the real value");
        assertFalse(on(() -> vm.dirtyProperty().get()));

        set(() -> row.valueProperty().set("postgres://app:" + dev.agentdeck.core.Secrets.MASK + "@db2/app"));
        assertEquals("postgres://app:pw-42@db2/app", on(vm::toSpec).env().get("DATABASE_URL"), "a new host keeps the password");
        set(() -> vm.revealSecretsProperty().set(true));
        assertEquals("postgres://app:pw-42@db2/app", on(() -> row.valueProperty().get()), "shown in clear when asked");
        set(() -> vm.revealSecretsProperty().set(false));
        assertEquals("postgres://app:" + dev.agentdeck.core.Secrets.MASK + "@db2/app", on(() -> row.valueProperty().get()));
        set(() -> row.valueProperty().set("postgres://app:new-pw@db2/app"));
        AgentSpec saved = on(vm::save).get(10, TimeUnit.SECONDS);
        assertEquals("postgres://app:new-pw@db2/app", saved.env().get("DATABASE_URL"), "a typed password is saved");
        assertEquals("/srv", saved.env().get("PWD"), "the shell's folder is no secret");
    }

    @Test
    void aMaskWithNothingBehindItIsRefusedAtTheEnvRows() throws Exception {
        // what an agent made from a template that kept its secret masked looks like
        AgentSpec fromTemplate = AgentSpec.builder("new-one").command("sleep").args("300")
                .env(Map.of("API_KEY", dev.agentdeck.core.Secrets.MASK)).build();
        String before = home.read("agents.json");
        AgentEditorViewModel vm = open(EditorMode.ADD, fromTemplate);
        Map<String, String> errors = settledErrors(vm);
        assertTrue(errors.getOrDefault("env", "").contains("API_KEY"), errors.toString());
        assertThrows(Exception.class, () -> on(vm::save).get(10, TimeUnit.SECONDS));
        assertEquals(before, home.read("agents.json"), "nothing was saved");
        set(() -> vm.env().get(0).valueProperty().set("sk-real"));
        Await.until("the real value clears the problem", WAIT, () -> !settledErrors(vm).containsKey("env"));
        assertEquals("sk-real", on(vm::save).get(10, TimeUnit.SECONDS).env().get("API_KEY"));
    }
}
