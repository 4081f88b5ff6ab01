package dev.agentdeck.process;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Signal;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start, stop, kill, restart, pause and signals on real processes. */
class StartStopTest extends EngineTestBase {

    @Test
    void startRunsTheAgentInItsOwnGroupAndStopEndsIt() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "sleeper", "command": "sleep", "args": ["300"]}]}
                """);
        AgentStatus running = started("sleeper");
        assertEquals(AgentState.RUNNING, running.state());
        long pid = running.pid();
        assertTrue(Procs.running(pid), "the agent process runs");
        assertEquals(pid, Procs.pgid(pid), "the agent leads its own process group");

        var pidFile = Json.MAPPER.readTree(Files.readString(home.file("run/sleeper.pid")));
        assertEquals(pid, pidFile.get("pid").asLong());
        assertEquals("sleeper", pidFile.get("agentId").asText());
        assertTrue(pidFile.get("commandLine").asText().endsWith("sleep 300"), pidFile.toString());
        assertNotNull(pidFile.get("startTime").asText());
        assertTrue(home.read("logs/sleeper.out.log").contains("--- agentdeck: starting: "), "the run is marked in its log");

        AgentStatus stopped = await(engine.stop("sleeper"));
        assertEquals(AgentState.STOPPED, stopped.state());
        assertNull(stopped.pid());
        assertTrue(stopped.lastExit().reason().startsWith("stopped by user"), stopped.lastExit().reason());
        assertFalse(Procs.running(pid), "the process is gone");
        assertEquals(0, Procs.state(pid), "and reaped, not a zombie");
        assertFalse(Files.exists(home.file("run/sleeper.pid")), "the PID file is removed");
        flushEvents();
        assertEquals(1, log.events("sleeper", EventType.SPAWNED).size());
        assertEquals(1, log.events("sleeper", EventType.STOPPED).size());
        var stats = engine.stats();
        assertEquals(1, stats.spawnRequests());
        assertEquals(1, stats.spawnSuccesses());
        assertEquals(0, stats.spawnFailures());
        assertEquals(1, stats.controlCommands());
        assertEquals(1, engine.summary().stopped());
    }

    @Test
    void agentThatIgnoresTermIsKilledWithItsGrandchildWithinTimeoutPlusOneSecond() throws Exception {
        Path childPidFile = home.file("child.pid");
        home.script("stubborn", """
                trap '' TERM
                sleep 300 &
                echo $! > "$1"
                while :; do wait; done
                """);
        open("""
                {"version": 1, "agents": [{"id": "stubborn", "command": "bin/stubborn", "args": ["%s"],
                  "stop": {"timeoutSec": 1}}]}
                """.formatted(childPidFile));
        long pid = started("stubborn").pid();
        Await.until("the agent wrote its child's PID", WAIT, () -> Procs.readPid(childPidFile) > 0);
        long grandchild = Procs.readPid(childPidFile);
        started.add(grandchild);
        assertTrue(Procs.running(grandchild));

        long t0 = System.nanoTime();
        AgentStatus stopped = await(engine.stop("stubborn"));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(AgentState.STOPPED, stopped.state());
        assertFalse(Procs.running(pid), "agent gone");
        assertFalse(Procs.running(grandchild), "grandchild gone");
        assertTrue(ms >= 900, "it waited for the timeout before KILL: " + ms + " ms");
        assertTrue(ms < 2000, "gone within timeout + 1 s: " + ms + " ms");
        assertTrue(stopped.lastExit().reason().contains("KILL"), stopped.lastExit().reason());
    }

    @Test
    void crashOnStartGivesFailedWithExitCodeAndStderrTail() throws Exception {
        home.script("crash", """
                echo "starting up"
                echo "fatal: config file missing" >&2
                exit 3
                """);
        open("""
                {"version": 1, "agents": [{"id": "crasher", "command": "bin/crash", "restart": {"policy": "never"}}]}
                """);
        Throwable t = failure(engine.start("crasher"));
        EngineException e = assertInstanceOf(EngineException.class, t);
        assertEquals(ErrorCode.FAILED, e.code());
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.error().details().contains("fatal: config file missing"), e.error().details().toString());

        AgentStatus s = engine.status("crasher").orElseThrow();
        assertEquals(AgentState.FAILED, s.state());
        assertEquals(3, s.lastExit().code());
        assertEquals("fatal: config file missing", s.lastExit().stderrTail());
        assertTrue(s.message().contains("fatal: config file missing"), s.message());
        assertEquals(1, engine.stats().spawnFailures());
        assertEquals(1, engine.summary().failed());
        flushEvents();
        var failed = log.events("crasher", EventType.FAILED);
        assertEquals(1, failed.size());
        assertEquals(3, failed.get(0).details().get("exitCode"));
    }

    @Test
    void missingCommandIsRefusedWithoutStartingAnything() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "typo", "command": "definitely-not-a-command-4711"}]}
                """);
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.start("typo")));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("command \"definitely-not-a-command-4711\" was not found on PATH"), e.getMessage());
        AgentStatus s = engine.status("typo").orElseThrow();
        assertEquals(AgentState.STOPPED, s.state());
        assertNull(s.pid());
        assertFalse(Files.exists(home.file("logs/typo.out.log")), "no process was launched");
    }

    @Test
    void missingCwdIsRefusedWithoutStartingAnything() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "lost", "command": "sleep", "args": ["1"], "cwd": "/nope/not/here"}]}
                """);
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.start("lost")));
        assertEquals(ErrorCode.INVALID, e.code());
        assertTrue(e.getMessage().contains("cwd \"/nope/not/here\" does not exist"), e.getMessage());
        assertNull(engine.status("lost").orElseThrow().pid());
    }

    @Test
    void pauseStopsTheProcessAndResumeContinuesIt() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "p", "command": "sleep", "args": ["300"]}]}
                """);
        long pid = started("p").pid();
        assertEquals(AgentState.PAUSED, await(engine.pause("p")).state());
        Await.until("/proc shows state T", WAIT, () -> Procs.state(pid) == 'T');
        assertEquals(AgentState.RUNNING, await(engine.resume("p")).state());
        Await.until("/proc shows it running again", WAIT, () -> Procs.state(pid) == 'S' || Procs.state(pid) == 'R');
        // a paused agent can still be stopped gracefully: it is continued so it can handle TERM
        await(engine.pause("p"));
        assertEquals(AgentState.STOPPED, await(engine.stop("p")).state());
        assertFalse(Procs.running(pid));
    }

    @Test
    void resumeOfARunningAgentIsAConflictAndChangesNothing() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "p", "command": "sleep", "args": ["300"]}]}
                """);
        long pid = started("p").pid();
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.resume("p")));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals(AgentState.RUNNING, engine.status("p").orElseThrow().state());
        assertTrue(Procs.running(pid));
    }

    @Test
    void restartGivesANewProcessAndCountsIt() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "r", "command": "sleep", "args": ["300"]}]}
                """);
        long first = started("r").pid();
        AgentStatus again = await(engine.restart("r"));
        started.add(again.pid());
        assertEquals(AgentState.RUNNING, again.state());
        assertNotEquals(first, again.pid());
        assertEquals(1, again.restarts());
        assertFalse(Procs.running(first));
        flushEvents();
        assertEquals(1, log.events("r", EventType.RESTARTED).size());
    }

    @Test
    void killEndsTheTreeAtOnceEvenWhenTermIsIgnored() throws Exception {
        home.script("stubborn", "trap '' TERM\nwhile :; do sleep 1; done");
        open("""
                {"version": 1, "agents": [{"id": "s", "command": "bin/stubborn", "stop": {"timeoutSec": 30}}]}
                """);
        long pid = started("s").pid();
        long t0 = System.nanoTime();
        AgentStatus s = await(engine.kill("s"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(AgentState.STOPPED, s.state());
        assertTrue(ms < 1000, "killed at once: " + ms + " ms");
        assertFalse(Procs.running(pid));
        assertEquals("KILL", s.lastExit().signal());
    }

    @Test
    void aNamedSignalReachesTheAgent() throws Exception {
        home.script("hup", """
                trap 'echo got-usr1' USR1
                while :; do sleep 0.05; done
                """);
        open("""
                {"version": 1, "agents": [{"id": "h", "command": "bin/hup"}]}
                """);
        started("h");
        await(engine.signal("h", Signal.USR1));
        Await.until("the agent logged the signal", WAIT, () -> home.read("logs/h.out.log").contains("got-usr1"));
        flushEvents();
        assertEquals(1, log.events("h", EventType.SIGNAL_SENT).size());
    }

    @Test
    void anAgentThatExitsOnItsOwnIsExitedOrFailedAndItsLeftoversAreStopped() throws Exception {
        Path childPidFile = home.file("child.pid");
        home.script("brief", """
                sleep 300 &
                echo $! > "$1"
                sleep 0.3
                exit 0
                """);
        open("""
                {"version": 1, "agents": [{"id": "b", "command": "bin/brief", "args": ["%s"], "stop": {"timeoutSec": 2}}]}
                """.formatted(childPidFile));
        started("b");
        Await.until("the agent exited", WAIT, () -> engine.status("b").orElseThrow().state() == AgentState.EXITED);
        long child = Procs.readPid(childPidFile);
        started.add(child);
        assertEquals(0, engine.status("b").orElseThrow().lastExit().code());
        Await.until("the child it left in its group is stopped", WAIT, () -> !Procs.running(child));
        flushEvents();
        Await.until("the leftover event", WAIT, () -> !log.events("b", EventType.LEFTOVER_KILLED).isEmpty());
    }

    @Test
    void maxAgentsRefusesTheStartBeyondTheLimit() throws Exception {
        home.agentsJson("");
        dev.agentdeck.testutil.TestHome.write(home.file("settings.json"), "{\"maxAgents\": 2}");
        open("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["300"]},
                  {"id": "c", "command": "sleep", "args": ["300"]}]}
                """);
        started("a");
        started("b");
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.start("c")));
        assertEquals(ErrorCode.LIMIT, e.code());
        assertTrue(e.getMessage().contains("maxAgents"), e.getMessage());
        assertEquals(AgentState.STOPPED, engine.status("c").orElseThrow().state());
        await(engine.stop("a"));
        assertEquals(AgentState.RUNNING, started("c").state(), "a freed slot can be used");
    }

    @Test
    void unknownAgentIsNotFound() throws Exception {
        open("{\"version\": 1, \"agents\": []}");
        EngineException e = assertInstanceOf(EngineException.class, failure(engine.start("ghost")));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains("ghost"));
    }

    @Test
    void argumentsReachTheAgentVerbatimWithoutAShell() throws Exception {
        home.script("echoargs", "for a in \"$@\"; do printf '[%s]\\n' \"$a\"; done; sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "e", "command": "bin/echoargs",
                  "args": ["$HOME", "a b", "; rm -rf /", "`id`", "*"]}]}
                """);
        started("e");
        Await.until("the agent printed its args", Duration.ofSeconds(5), () -> home.read("logs/e.out.log").contains("[*]"));
        String out = home.read("logs/e.out.log");
        assertTrue(out.contains("[$HOME]\n[a b]\n[; rm -rf /]\n[`id`]\n[*]"), out);
    }

    @Test
    void envAndEnvFileReachTheAgent() throws Exception {
        dev.agentdeck.testutil.TestHome.write(home.file("work/.env"), "# secrets\nexport FROM_FILE=\"one two\"\nOVERRIDDEN=file\n");
        home.script("env", "echo \"FROM_FILE=$FROM_FILE OVERRIDDEN=$OVERRIDDEN ID=$AGENTDECK_AGENT_ID\"; sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "env", "command": "%s", "cwd": "work", "envFile": ".env",
                  "env": {"OVERRIDDEN": "json"}}]}
                """.formatted(home.file("bin/env")));
        started("env");
        Await.until("the agent printed its env", WAIT, () -> home.read("logs/env.out.log").contains("ID=env"));
        assertTrue(home.read("logs/env.out.log").contains("FROM_FILE=one two OVERRIDDEN=json ID=env"),
                home.read("logs/env.out.log"));
    }
}
