package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Restarts on changes of watched paths, with real processes and real files. */
class WatchRestartTest extends EngineTestBase {
    /** Long enough for a change to be noticed, settle ({@link WatchRestarter#DEBOUNCE_MS}) and restart the agent. */
    private static final Duration QUIET = Duration.ofMillis(WatchRestarter.DEBOUNCE_MS * 3);

    /** Opens an engine with agent "w" running {@code sleep 30} in {@code app/}, watching {@code watch} (JSON list). */
    private AgentStatus runWatching(String watch) throws Exception {
        Files.createDirectories(home.file("app/src"));
        open("""
                {"version": 1, "agents": [{"id": "w", "command": "sleep", "args": ["30"], "cwd": "app", "watch": %s}]}
                """.formatted(watch));
        return started("w");
    }

    private AgentStatus status() {
        return engine.status("w").orElseThrow();
    }

    /** Waits until "w" runs with a process other than {@code before}'s. */
    private AgentStatus restartedFrom(AgentStatus before) {
        AgentStatus after = Await.value("the agent was restarted", WAIT, this::status,
                s -> s.state() == AgentState.RUNNING && s.pid() != null && !s.pid().equals(before.pid()));
        started.add(after.pid());
        return after;
    }

    private List<AgentEvent> watchRestarts() {
        flushEvents();
        return log.events("w", EventType.WATCH_RESTART);
    }

    /**
     * Proves that something does not happen: waits the whole {@code window} and fails as soon as
     * {@code mustStayFalse} becomes true. (The one place a test waits without a condition to end it early.)
     */
    private static void staysFalse(String what, Duration window, BooleanSupplier mustStayFalse) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            if (mustStayFalse.getAsBoolean()) {
                throw new AssertionError("unexpectedly " + what);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private List<String> errors() {
        flushEvents();
        return engine.recentEvents(0).stream().filter(e -> "w".equals(e.agentId()) && e.type() == EventType.ERROR)
                .map(AgentEvent::message).toList();
    }

    private void write(String relative, String text) {
        TestHome.write(home.file(relative), text);
    }

    @Test
    void aBurstOfWritesRestartsARunningAgentOnce() throws Exception {
        AgentStatus before = runWatching("[\"src\"]");
        for (int i = 1; i <= 7; i++) {
            write("app/src/f" + i + ".txt", "one");
            write("app/src/f" + i + ".txt", "two");
        }
        AgentStatus after = restartedFrom(before);
        assertEquals(before.restarts() + 1, after.restarts());
        staysFalse("restarted a second time", QUIET, () -> !status().pid().equals(after.pid()));
        List<AgentEvent> events = watchRestarts();
        assertEquals(1, events.size(), log.describe().toString());
        assertEquals("restarting: src/f1.txt, src/f2.txt, src/f3.txt, src/f4.txt, src/f5.txt and 2 more changed",
                events.get(0).message());
        assertEquals(Map.of("paths", List.of("src/f1.txt", "src/f2.txt", "src/f3.txt", "src/f4.txt", "src/f5.txt"),
                "count", 7), events.get(0).details());
        assertEquals(1, log.events("w", EventType.RESTARTED).size());
    }

    @Test
    void aChangeWhileStoppedDoesNotStartIt() throws Exception {
        runWatching("[\"src\"]");
        await(engine.stop("w"));
        write("app/src/main.py", "print('hi')");
        staysFalse("started by a change", QUIET, () -> status().state() != AgentState.STOPPED);
        assertEquals(List.of(), watchRestarts());
    }

    @Test
    void ignoredFoldersDoNotRestartButOtherFilesDo() throws Exception {
        AgentStatus before = runWatching("[\"src\"]");
        write("app/src/node_modules/x", "dependency");
        write("app/src/node_modules/x", "dependency, again");
        write("app/src/__pycache__/m.pyc", "bytes");
        staysFalse("restarted by an ignored folder", QUIET, () -> !status().pid().equals(before.pid()));
        // the watcher was alive all along: a real change restarts at once
        write("app/src/main.py", "print('hi')");
        restartedFrom(before);
        assertEquals(List.of("src/main.py"), watchRestarts().get(0).details().get("paths"));
    }

    @Test
    void aNewSubfolderIsWatched() throws Exception {
        AgentStatus first = runWatching("[\"src\"]");
        Files.createDirectories(home.file("app/src/lib"));
        AgentStatus second = restartedFrom(first);
        // once the restart for the new folder is done, a file inside it counts
        write("app/src/lib/util.py", "x = 1");
        restartedFrom(second);
        List<AgentEvent> events = watchRestarts();
        assertEquals(2, events.size(), log.describe().toString());
        assertEquals(List.of("src/lib/util.py"), events.get(1).details().get("paths"));
    }

    @Test
    void aMissingPathIsReportedOnceAndWatchedWhenItAppears() throws Exception {
        AgentStatus before = runWatching("[\"config.yaml\", \"/nonexistent-agentdeck-dir/x\"]");
        // reported while the engine opened, before the test subscribed: in the events it keeps
        List<String> errors = errors();
        Path missing = home.file("app/config.yaml").toAbsolutePath().normalize();
        assertEquals(List.of("watch path " + missing + " does not exist; it is watched once it appears",
                "watch path /nonexistent-agentdeck-dir/x does not exist; it is not watched"), errors);
        // a config change plans the watches again without reporting again
        await(engine.updateAgent(engine.agents().get(0).toBuilder().tags(List.of("web")).build()));
        flushEvents();
        write("app/config.yaml", "port: 1");
        restartedFrom(before);
        assertEquals(List.of("config.yaml"), watchRestarts().get(0).details().get("paths"));
        assertEquals(2, errors().size());
        assertNotEquals(before.pid(), status().pid());
    }
}
