package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Restart policies, back-off and the start limit, with real crashing processes. */
class RestartPolicyTest extends EngineTestBase {

    @Test
    void aCrashLoopBacksOffWithGrowingDelaysAndEndsFatalAfterTheBurst() throws Exception {
        home.script("crash", "echo 'boom' >&2; exit 3");
        open("""
                {"version": 1, "agents": [{"id": "loop", "command": "bin/crash",
                  "restart": {"policy": "on-failure", "delayMs": 150, "maxDelayMs": 1000, "burst": 4, "windowSec": 60}}]}
                """);
        failure(engine.start("loop"));
        AgentStatus fatal = Await.value("the agent gave up", WAIT, () -> engine.status("loop").orElseThrow(),
                s -> s.state() == AgentState.FATAL);
        assertEquals("gave up after 4 failed starts in 60 s; last exit code 3", fatal.message());
        assertEquals(3, fatal.lastExit().code());
        assertEquals(3, fatal.restarts());
        flushEvents();
        List<Long> delays = log.events("loop", EventType.BACKOFF).stream()
                .map(e -> ((Number) e.details().get("delayMs")).longValue()).toList();
        assertEquals(List.of(150L, 300L, 600L), delays, "the delay doubles");
        assertEquals(4, log.events("loop", EventType.FAILED).size());
        assertEquals(3, log.events("loop", EventType.RESTARTED).size());
        assertEquals(1, log.events("loop", EventType.FATAL).size());
        // the restarts really waited: each BACKOFF event precedes the next attempt by at least its delay
        List<AgentEvent> backoffs = log.events("loop", EventType.BACKOFF);
        List<AgentEvent> restarts = log.events("loop", EventType.RESTARTED);
        for (int i = 0; i < restarts.size(); i++) {
            long waited = Duration.between(backoffs.get(i).time(), restarts.get(i).time()).toMillis();
            assertTrue(waited >= delays.get(i) - 20, "restart " + i + " waited " + waited + " ms");
        }
    }

    @Test
    void backoffShowsTheTimeOfTheNextTryAndAManualStartClearsFatal() throws Exception {
        home.script("crash", "exit 1");
        open("""
                {"version": 1, "agents": [{"id": "c", "command": "bin/crash",
                  "restart": {"delayMs": 5000, "burst": 2, "windowSec": 60}}]}
                """);
        failure(engine.start("c"));
        AgentStatus backoff = Await.value("backoff", WAIT, () -> engine.status("c").orElseThrow(),
                s -> s.state() == AgentState.BACKOFF);
        assertNotNull(backoff.nextRetryAt());
        assertTrue(backoff.message().contains("restarting in 5.0 s"), backoff.message());
        // a manual start during back-off starts at once, and resets the history
        failure(engine.start("c"));
        Await.until("back in backoff", WAIT, () -> engine.status("c").orElseThrow().state() == AgentState.BACKOFF);
        assertEquals(0, engine.status("c").orElseThrow().restarts());
        // a stop in back-off stops for good
        assertEquals(AgentState.STOPPED, await(engine.stop("c")).state());
    }

    @Test
    void alwaysRestartsACleanExitAndOnFailureDoesNot() throws Exception {
        home.script("brief", "sleep 0.2; exit 0");
        open("""
                {"version": 1, "agents": [
                  {"id": "always", "command": "bin/brief", "restart": {"policy": "always", "delayMs": 100, "burst": 50}},
                  {"id": "onfail", "command": "bin/brief", "restart": {"policy": "on-failure", "delayMs": 100}}]}
                """);
        started("always");
        started("onfail");
        Await.until("always restarted twice", WAIT, () -> engine.status("always").orElseThrow().restarts() >= 2);
        AgentStatus onfail = Await.value("on-failure exited", WAIT, () -> engine.status("onfail").orElseThrow(),
                s -> s.state() == AgentState.EXITED);
        assertEquals(0, onfail.restarts());
        assertEquals(0, onfail.lastExit().code());
        flushEvents();
        assertTrue(log.events("onfail", EventType.RESTARTED).isEmpty());
    }

    @Test
    void anAgentTheUserStoppedIsNeverRestarted() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "s", "command": "sleep", "args": ["300"],
                  "restart": {"policy": "always", "delayMs": 50}}]}
                """);
        long pid = started("s").pid();
        await(engine.stop("s"));
        flushEvents();
        long stoppedAt = log.events("s", EventType.STOPPED).get(0).time().toEpochMilli();
        // a negative: let ten restart delays pass, then look
        Await.until("ten restart delays have passed", Duration.ofSeconds(2), () -> System.currentTimeMillis() - stoppedAt > 500);
        flushEvents();
        assertEquals(AgentState.STOPPED, engine.status("s").orElseThrow().state());
        assertTrue(log.events("s", EventType.SPAWNED).size() == 1 && log.events("s", EventType.RESTARTED).isEmpty());
        assertTrue(!Procs.running(pid));
    }

    @Test
    void aRestartAfterACrashGetsANewProcessAndCountsIt() throws Exception {
        home.script("crashlater", "sleep 0.4; exit 2");
        open("""
                {"version": 1, "agents": [{"id": "c", "command": "bin/crashlater", "restart": {"delayMs": 50, "burst": 10}}]}
                """);
        long first = started("c").pid();
        AgentStatus again = Await.value("running again after a crash", WAIT, () -> engine.status("c").orElseThrow(),
                s -> s.state() == AgentState.RUNNING && s.restarts() == 1);
        started.add(again.pid());
        assertNotEquals(first, again.pid());
        assertEquals(2, again.lastExit().code());
    }
}
