package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.GroupAction;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.editor.AgentEditorViewModel;
import dev.agentdeck.ui.editor.DependencyRow;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.UpdateBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scaling from a row, group commands and editing a definition, through the ViewModels over a real engine. */
class ScaleAndGroupsViewModelTest {
    private static final Messages MSG = Messages.load(Locale.ENGLISH);
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private UpdateBridge bridge;
    private MainViewModel vm;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        home = new TestHome(tmp);
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "w", "command": "sh", "args": ["-c", "sleep 30"], "instances": 1, "tags": ["workers"]},
                  {"id": "db", "command": "sh", "args": ["-c", "sleep 30"], "tags": ["workers", "store"]},
                  {"id": "lone", "command": "sh", "args": ["-c", "sleep 30"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
        vm = new MainViewModel(engine, Runnable::run, MSG, "test");
        bridge = new UpdateBridge(engine, Runnable::run, vm::apply, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        bridge.close();
        Engines.stopAndClose(engine, pids);
    }

    private void sync() {
        engine.flushEvents();
        bridge.flush();
    }

    private long start(String id) throws Exception {
        long pid = engine.start(id).get(15, TimeUnit.SECONDS).pid();
        pids.add(pid);
        return pid;
    }

    private List<String> rowIds() {
        return vm.rows().stream().map(AgentRowViewModel::id).toList();
    }

    @Test
    void scalingFromARowAddsAndRemovesInstancesAndLeavesTheOnesThatStayRunning() throws Exception {
        assertEquals(List.of("w-1", "db", "lone"), rowIds());
        long first = start("w-1");

        vm.row("w-1").scale(3).get(15, TimeUnit.SECONDS);
        sync();
        assertEquals(List.of("w-1", "w-2", "w-3", "db", "lone"), rowIds());
        assertEquals(first, engine.status("w-1").orElseThrow().pid(), "w-1 kept running untouched");
        long second = start("w-2");
        long third = start("w-3");

        vm.row("w-3").scale(2).get(15, TimeUnit.SECONDS);
        sync();
        assertEquals(List.of("w-1", "w-2", "db", "lone"), rowIds());
        assertEquals(first, engine.status("w-1").orElseThrow().pid());
        assertEquals(second, engine.status("w-2").orElseThrow().pid());
        assertTrue(Procs.running(first) && Procs.running(second));
        assertFalse(Procs.running(third), "the instance scaled away was stopped");
        assertTrue(home.read("agents.json").contains("\"instances\" : 2")
                || home.read("agents.json").contains("\"instances\": 2"), home.read("agents.json"));
    }

    @Test
    void aRefusedScaleKeepsTheEnginesReasonOnTheRow() {
        AgentRowViewModel row = vm.row("w-1");
        assertTrue(row.scale(500).handle((s, t) -> t != null).join());
        assertTrue(row.errorProperty().get().contains("must be 1 to"), row.errorProperty().get());
    }

    @Test
    void groupsListEveryTagAndStartAndStopTheAgentsThatCarryIt() throws Exception {
        assertEquals(List.of("store", "workers"), vm.groups().tags());

        vm.groups().run("workers", GroupAction.START).get(15, TimeUnit.SECONDS);
        sync();
        engine.statuses().forEach(s -> {
            if (s.pid() != null) {
                pids.add(s.pid());
            }
        });
        assertEquals(AgentState.RUNNING, engine.status("w-1").orElseThrow().state());
        assertEquals(AgentState.RUNNING, engine.status("db").orElseThrow().state());
        assertEquals(AgentState.STOPPED, engine.status("lone").orElseThrow().state());
        assertEquals("Group \u201cworkers\u201d: 2 agents started", vm.statusTextProperty().get());

        vm.groups().run("store", GroupAction.STOP).get(15, TimeUnit.SECONDS);
        assertEquals(AgentState.STOPPED, engine.status("db").orElseThrow().state());
        assertEquals(AgentState.RUNNING, engine.status("w-1").orElseThrow().state());

        assertTrue(vm.groups().run("nobody", GroupAction.START).handle((r, t) -> t != null).join());
        assertTrue(vm.statusTextProperty().get().contains("nobody"), vm.statusTextProperty().get());
    }

    @Test
    void anInstanceIsEditedThroughItsDefinitionWhichSaysItAppliesToAllInstances() throws Exception {
        vm.row("w-1").scale(2).get(15, TimeUnit.SECONDS);
        AgentSpec def = vm.row("w-1").definition().get(5, TimeUnit.SECONDS);
        assertEquals("w", def.id());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AgentEditorViewModel editor = new AgentEditorViewModel(engine, Runnable::run, timer, MSG,
                    AgentWindows.EditorMode.EDIT, def);
            assertTrue(editor.instancesNote().contains("2 instances"), editor.instancesNote());
            assertEquals(2, editor.instancesProperty().get());
            editor.scheduleProperty().set("");
            editor.watchProperty().set("src, conf/app.yml");
            editor.close();
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void theDetailAreaSaysWhenAScheduledAgentRunsNextAndWhatRestartsIt() throws Exception {
        AgentSpec lone = engine.agents().stream().filter(a -> a.id().equals("lone")).findFirst().orElseThrow();
        engine.updateAgent(lone.toBuilder().schedule("30 4 * * *").watch(List.of("src", "conf/app.yaml")).build())
                .get(15, TimeUnit.SECONDS);
        sync();
        vm.detail().show(vm.row("lone"));
        String text = vm.detail().scheduleProperty().get();
        java.time.ZonedDateTime next = dev.agentdeck.core.CronExpression.parse("30 4 * * *").next(java.time.ZonedDateTime.now());
        assertTrue(text.contains("at \"30 4 * * *\"") && text.contains(next.toLocalDate() + " 04:30:00"), text);
        assertTrue(text.contains("restarted when src, conf/app.yaml change"), text);
        vm.detail().show(vm.row("db"));
        assertEquals("\u2014", vm.detail().scheduleProperty().get());
    }

    @Test
    void anAgentThatDependsOnADefinitionIsEditedAsWrittenAndSavesBack() throws Exception {
        vm.row("w-1").scale(2).get(15, TimeUnit.SECONDS);
        AgentSpec lone = engine.definition("lone").get(5, TimeUnit.SECONDS);
        engine.updateAgent(lone.toBuilder().dependsOnIds("w").build()).get(15, TimeUnit.SECONDS);
        assertEquals(List.of("w-1", "w-2"), engine.agents().stream().filter(a -> a.id().equals("lone")).findFirst()
                .orElseThrow().dependencyIds(), "the running spec names the instances");
        AgentSpec entry = engine.definition("lone").get(5, TimeUnit.SECONDS);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            AgentEditorViewModel editor = new AgentEditorViewModel(engine, Runnable::run, timer, MSG,
                    AgentWindows.EditorMode.EDIT, entry);
            List<String> offered = editor.dependencies().stream().map(DependencyRow::id).toList();
            assertTrue(offered.contains("w") && !offered.contains("w-1"), "dependencies are entries: " + offered);
            assertTrue(editor.dependencies().stream().filter(d -> d.id().equals("w")).findFirst().orElseThrow()
                    .chosenProperty().get());
            editor.save().get(15, TimeUnit.SECONDS);
            editor.close();
        } finally {
            timer.shutdownNow();
        }
        assertEquals(List.of("w"), engine.definition("lone").get(5, TimeUnit.SECONDS).dependencyIds());
    }
}
