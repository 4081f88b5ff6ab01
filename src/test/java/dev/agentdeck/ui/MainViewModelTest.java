package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.badges.BadgeKind;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.UpdateBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ViewModels over a real engine, without the FX toolkit: a direct executor stands in for the FX thread. */
class MainViewModelTest {
    /** The service the ViewModels use: the engine itself, or in {@link AttachedMainViewModelTest} a client over its API. */
    dev.agentdeck.process.ProcessService service;
    private dev.agentdeck.testutil.Attached attached;

    dev.agentdeck.process.ProcessService over(LocalEngine e, TestHome home) throws Exception {
        return e;
    }

    dev.agentdeck.process.ProcessService attach(LocalEngine e, TestHome home) throws Exception {
        attached = dev.agentdeck.testutil.Attached.to(e, home.workspace());
        return attached.remote();
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path tmp;
    private LocalEngine engine;
    private UpdateBridge bridge;
    private MainViewModel vm;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        TestHome home = new TestHome(tmp);
        home.script("crash", "echo 'no token configured' >&2; exit 4");
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "sleeper", "name": "Sleeper", "command": "sleep", "args": ["300"], "port": 8123},
                  {"id": "crasher", "command": "bin/crash", "restart": {"policy": "never"}}]}
                """);
        engine = LocalEngine.open(home.workspace());
        service = over(engine, home);
        vm = new MainViewModel(service, Runnable::run, Messages.load(Locale.ENGLISH), "test");
        bridge = new UpdateBridge(service, Runnable::run, vm::apply, 0);
    }

    @AfterEach
    void tearDown() throws Exception {
        bridge.close();
        if (attached != null) {
            attached.close();
        }
        engine.statuses().forEach(s -> {
            if (s.pid() != null) {
                pids.add(s.pid());
            }
        });
        engine.stopAll().get(30, TimeUnit.SECONDS);
        engine.close();
        Procs.killAll(pids);
    }

    private void sync() {
        engine.flushEvents();
        if (attached != null) {
            attached.caughtUp();
        }
        bridge.flush();
    }

    @Test
    void rowsStartStoppedWithGrayBadgesAndTheirText() {
        assertEquals(List.of("sleeper", "crasher"), vm.rows().stream().map(AgentRowViewModel::id).toList());
        AgentRowViewModel row = vm.row("sleeper");
        assertEquals(BadgeKind.STOPPED, row.kindProperty().get());
        assertEquals("Sleeper \u00B7 stopped", row.badgeTextProperty().get());
        assertTrue(row.tooltipProperty().get().contains("Port: 8123"), row.tooltipProperty().get());
        assertTrue(row.tooltipProperty().get().contains("Click to start"));
        assertEquals("2 agents", vm.statusTextProperty().get());
    }

    @Test
    void toggleStartsTheAgentShowingTheTransitionAtOnceThenGreen() throws Exception {
        AgentRowViewModel row = vm.row("sleeper");
        var f = row.toggle();
        assertEquals(BadgeKind.TRANSITION, row.kindProperty().get(), "yellow at once, before the engine answers");
        assertEquals("Sleeper \u00B7 starting\u2026", row.badgeTextProperty().get());
        f.get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(AgentState.RUNNING, row.stateProperty().get());
        assertEquals(BadgeKind.RUNNING, row.kindProperty().get());
        long pid = row.pidProperty().get();
        pids.add(pid);
        assertTrue(Procs.running(pid), "the engine really started it");
        assertTrue(row.tooltipProperty().get().contains("PID: " + pid));

        row.toggle().get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(BadgeKind.STOPPED, row.kindProperty().get());
        assertNull(row.pidProperty().get());
        assertFalse(Procs.running(pid));
    }

    @Test
    void aFailedStartTurnsRedAndSaysWhy() {
        AgentRowViewModel row = vm.row("crasher");
        Await.until("the start failed", WAIT, () -> row.toggle().handle((s, t) -> t != null).join());
        sync();
        assertEquals(BadgeKind.FAILED, row.kindProperty().get());
        assertTrue(row.errorProperty().get().contains("exited with code 4"), row.errorProperty().get());
        assertTrue(row.tooltipProperty().get().contains("no token configured"), row.tooltipProperty().get());
        assertTrue(vm.statusTextProperty().get().contains("no token configured"), vm.statusTextProperty().get());
    }

    @Test
    void bulkActionsDisableThemselvesAndReportTheResult() throws Exception {
        var f = vm.startAll();
        assertTrue(vm.bulkRunningProperty().get());
        f.get(10, TimeUnit.SECONDS);
        sync();
        assertFalse(vm.bulkRunningProperty().get());
        assertTrue(vm.statusTextProperty().get().contains("crasher"), vm.statusTextProperty().get());
        assertEquals(AgentState.RUNNING, vm.row("sleeper").stateProperty().get());
        pids.add(vm.row("sleeper").pidProperty().get());
        vm.stopAll().get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(AgentState.STOPPED, vm.row("sleeper").stateProperty().get());
        assertEquals("Stop all: 2 agents stopped", vm.statusTextProperty().get());
    }

    @Test
    void agentsAddedAndRemovedInTheEngineAppearAndDisappear() throws Exception {
        engine.addAgent(AgentSpec.of("late", "sleep", List.of("1"))).get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(List.of("sleeper", "crasher", "late"), vm.rows().stream().map(AgentRowViewModel::id).toList());
        engine.removeAgent("crasher").get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(List.of("sleeper", "late"), vm.rows().stream().map(AgentRowViewModel::id).toList());
    }

    @Test
    void theFilterMatchesNameTypeAndTagsAndKeepsTheRowsLive() throws Exception {
        engine.addAgent(dev.agentdeck.core.AgentSpec.builder("indexer").name("Indexer").type("worker")
                .command("sleep").args(List.of("300")).tags(List.of("prod", "search")).build()).get(10, TimeUnit.SECONDS);
        sync();
        List<String> all = List.of("sleeper", "crasher", "indexer");
        assertEquals(all, ids(vm.filteredRows()));
        vm.filterTextProperty().set("SLEEP");
        assertEquals(List.of("sleeper"), ids(vm.filteredRows()), "by name, case-insensitive");
        vm.filterTextProperty().set("worker");
        assertEquals(List.of("indexer"), ids(vm.filteredRows()), "by type");
        vm.filterTextProperty().set("tag:prod");
        assertEquals(List.of("indexer"), ids(vm.filteredRows()), "by tag");
        vm.filterTextProperty().set("search indexer");
        assertEquals(List.of("indexer"), ids(vm.filteredRows()), "every word must match");
        vm.filterTextProperty().set("prod sleeper");
        assertEquals(List.of(), ids(vm.filteredRows()));
        vm.filterTextProperty().set("");
        assertEquals(all, ids(vm.filteredRows()));
    }

    private static List<String> ids(List<AgentRowViewModel> rows) {
        return rows.stream().map(AgentRowViewModel::id).toList();
    }

    @Test
    void pauseAndResumeAndBulkCommandsOverASelectionCallTheEngine() throws Exception {
        AgentRowViewModel row = vm.row("sleeper");
        row.start().get(10, TimeUnit.SECONDS);
        sync();
        long pid = row.pidProperty().get();
        pids.add(pid);
        row.togglePause().get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(AgentState.PAUSED, engine.status("sleeper").orElseThrow().state());
        assertEquals(BadgeKind.PAUSED, row.kindProperty().get());
        dev.agentdeck.testutil.Await.until("the process is really stopped by SIGSTOP", java.time.Duration.ofSeconds(5),
                () -> Procs.state(pid) == 'T');
        row.togglePause().get(10, TimeUnit.SECONDS);
        sync();
        assertEquals(AgentState.RUNNING, engine.status("sleeper").orElseThrow().state());

        vm.each(List.of(row), AgentRowViewModel::restart);
        Await.until("the restart gave a new process", WAIT, () -> {
            var s = engine.status("sleeper").orElseThrow();
            return s.state() == AgentState.RUNNING && s.pid() != null && s.pid() != pid;
        });
        pids.add(engine.status("sleeper").orElseThrow().pid());
        assertFalse(Procs.running(pid));
    }

    @Test
    void crashesTurnIntoNotificationsUnlessTheyAreSwitchedOff() throws Exception {
        List<dev.agentdeck.ui.notify.Notice> shown = new java.util.ArrayList<>();
        vm.onNotice(shown::add);
        vm.row("crasher").start().handle((s, t) -> null).get(10, TimeUnit.SECONDS);
        Await.until("the crash is noticed", WAIT, () -> {
            sync();
            return !shown.isEmpty();
        });
        assertTrue(shown.get(0).title().contains("crasher"), shown.get(0).title());
        assertTrue(shown.get(0).text().contains("no token configured"), shown.get(0).text());

        shown.clear();
        vm.notificationsOnProperty().set(false);
        vm.row("crasher").start().handle((s, t) -> null).get(10, TimeUnit.SECONDS);
        Await.until("the second crash is recorded", WAIT, () -> engine.recentEvents(0).stream()
                .filter(e -> e.type() == dev.agentdeck.core.EventType.FAILED && "crasher".equals(e.agentId())).count() >= 2);
        sync();
        assertEquals(List.of(), shown, "notifications are off");
    }
}
