package dev.agentdeck.ui.logs;

import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.ui.util.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log pane's ViewModel over real files, without the FX toolkit: a single-thread executor plays the FX
 * thread, and the test reads the ViewModel only through it.
 */
class LogPaneViewModelTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path tmp;
    private AgentLogs logs;
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<LogPaneViewModel> panes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        logs = new AgentLogs(tmp.resolve("logs"));
    }

    @AfterEach
    void tearDown() throws Exception {
        onUi(() -> {
            panes.forEach(LogPaneViewModel::close);
            return null;
        });
        timer.shutdownNow();
        ui.shutdownNow();
    }

    private LogPaneViewModel open(int backlog, int capacity, String... ids) throws Exception {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        for (String id : ids) {
            names.put(id, id.toUpperCase(Locale.ROOT));
        }
        LogFeed feed = new LogFeed(logs, List.of(ids), backlog, capacity, timer, ui);
        LogPaneViewModel vm = onUi(() -> new LogPaneViewModel(feed, ui, Messages.load(Locale.ENGLISH), names, capacity));
        panes.add(vm);
        onUi(() -> {
            vm.start();
            return null;
        });
        return vm;
    }

    private <T> T onUi(Callable<T> call) throws Exception {
        return ui.submit(call).get();
    }

    private void append(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> texts(LogPaneViewModel vm) {
        try {
            return onUi(() -> vm.visibleLines().stream().map(LogLine::text).toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(Callable<T> call) {
        try {
            return onUi(call);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void showsTheTailThenFollowsNewLinesWithStderrMarkedAndLevelsDetected() throws Exception {
        append(logs.out("a"), "old 1", "old 2");
        append(logs.err("a"), "ERROR boom");
        LogPaneViewModel vm = open(100, 1000, "a");
        Await.until("backlog shown", WAIT, () -> texts(vm).size() == 3);
        append(logs.out("a"), "WARN careful", "new info");
        Await.until("new lines appended", WAIT, () -> texts(vm).size() == 5);
        List<LogLine> lines = read(() -> List.copyOf(vm.visibleLines()));
        assertEquals(List.of("WARN careful", "new info"), texts(vm).subList(3, 5));
        LogLine boom = lines.stream().filter(l -> l.text().equals("ERROR boom")).findFirst().orElseThrow();
        assertEquals(LogStream.ERR, boom.stream());
        assertEquals(LogLevel.ERROR, boom.level());
        assertEquals(LogLevel.WARN, lines.get(3).level());

        onUi(() -> {
            vm.levelProperty().set(LevelFilter.WARN);
            return null;
        });
        assertEquals(List.of("ERROR boom", "WARN careful"), texts(vm));
        onUi(() -> {
            vm.levelProperty().set(LevelFilter.ERROR);
            return null;
        });
        assertEquals(List.of("ERROR boom"), texts(vm));
    }

    @Test
    void heldLinesWaitUntilFollowingResumes() throws Exception {
        append(logs.out("a"), "first");
        LogPaneViewModel vm = open(100, 1000, "a");
        Await.until("backlog shown", WAIT, () -> texts(vm).size() == 1);
        onUi(() -> {
            vm.followingProperty().set(false);
            return null;
        });
        append(logs.out("a"), "second", "third");
        Await.until("new lines held", WAIT, () -> read(() -> vm.heldCountProperty().get()) == 2);
        assertEquals(List.of("first"), texts(vm), "held lines do not move the view");
        assertTrue(read(() -> vm.statusProperty().get()).contains("2 new lines"), read(() -> vm.statusProperty().get()));
        onUi(() -> {
            vm.jumpToEnd();
            return null;
        });
        assertEquals(List.of("first", "second", "third"), texts(vm));
        assertEquals(0, read(() -> vm.heldCountProperty().get()));
    }

    @Test
    void memoryStaysBoundedWhileAFloodIsFollowed() throws Exception {
        LogPaneViewModel vm = open(100, 1_000, "a");
        Await.until("pane started", WAIT, () -> read(() -> vm.statusProperty().get()).contains("0 lines"));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add("line " + i);
        }
        append(logs.out("a"), lines.toArray(String[]::new));
        Await.until("the last line arrives", WAIT, () -> {
            List<String> t = texts(vm);
            return !t.isEmpty() && t.get(t.size() - 1).equals("line 19999");
        });
        assertEquals(1_000, read(vm::bufferedLines));
        assertEquals("line 19000", texts(vm).get(0));
    }

    @Test
    void olderLinesAreReadBackFromTheFileBeforeThoseShown() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add("line " + i);
        }
        append(logs.out("a"), lines.toArray(String[]::new));
        LogPaneViewModel vm = open(1_000, 100_000, "a");
        Await.until("backlog shown", WAIT, () -> texts(vm).size() == 1_000);
        assertEquals("line 4000", texts(vm).get(0));
        onUi(() -> {
            vm.loadOlder();
            return null;
        });
        Await.until("older lines read", WAIT, () -> texts(vm).size() == 1_000 + LogPaneViewModel.OLDER_CHUNK);
        assertEquals("line " + (4_000 - LogPaneViewModel.OLDER_CHUNK), texts(vm).get(0));
        assertEquals("line 4999", texts(vm).get(texts(vm).size() - 1));
        assertFalse(read(() -> vm.followingProperty().get()), "reading back stops following");
        onUi(() -> {
            vm.loadOlder();
            return null;
        });
        Await.until("the rest read", WAIT, () -> texts(vm).size() == 5_000);
        assertEquals("line 0", texts(vm).get(0));
        assertFalse(read(vm::hasOlder));
    }

    @Test
    void searchCountsMatchesAndStepsThroughThem() throws Exception {
        append(logs.out("a"), "alpha", "beta Alpha", "gamma", "ALPHA again");
        LogPaneViewModel vm = open(100, 1000, "a");
        Await.until("backlog shown", WAIT, () -> texts(vm).size() == 4);
        onUi(() -> {
            vm.searchProperty().set("alpha");
            return null;
        });
        assertEquals(3, read(() -> vm.matchCountProperty().get()));
        List<Integer> visited = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            visited.add(onUi(() -> {
                vm.nextMatch();
                return vm.currentMatchProperty().get();
            }));
        }
        assertEquals(List.of(0, 1, 3, 0), visited);
        assertEquals(3, (int) onUi(() -> {
            vm.previousMatch();
            return vm.currentMatchProperty().get();
        }));
        assertFalse(read(() -> vm.followingProperty().get()), "stepping to a match holds the lines still");
        append(logs.out("a"), "one more alpha");
        Await.until("the new line is held", WAIT, () -> read(() -> vm.heldCountProperty().get()) == 1);
        assertEquals(3, read(() -> vm.matchCountProperty().get()), "held lines are not counted");
        onUi(() -> {
            vm.jumpToEnd();
            return null;
        });
        assertEquals(4, read(() -> vm.matchCountProperty().get()));
    }

    @Test
    void mergedPaneLabelsLinesWithTheirAgentAndCopiesThem() throws Exception {
        append(logs.out("a"), "12:00:01 from a", "12:00:03 from a again");
        append(logs.out("b"), "12:00:02 from b");
        LogPaneViewModel vm = open(100, 1000, "a", "b");
        Await.until("backlog shown", WAIT, () -> texts(vm).size() == 3);
        assertEquals(List.of("12:00:01 from a", "12:00:02 from b", "12:00:03 from a again"), texts(vm),
                "backlogs of several files merge by their timestamps");
        assertTrue(read(vm::showsAgents));
        assertEquals("A | 12:00:01 from a\nB | 12:00:02 from b", read(() -> vm.copy(List.of(1, 0))));
    }
}
