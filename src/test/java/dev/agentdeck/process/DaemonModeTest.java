package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Origin;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daemon mode ({@code "daemon": {...}}, systemd's Type=forking): the launcher exits 0, the daemon it leaves is
 * the agent. Shown, stopped, restarted and adopted after an engine restart as the agent; a stale PID file never
 * names it; a launcher that does not daemonize fails the start with the reason.
 */
class DaemonModeTest extends EngineTestBase {

    /** bin/server: a daemon that writes its PID to $1 after a moment, then serves until TERM. */
    private void daemonScripts() {
        home.script("server", """
                sleep 0.3
                echo $$ > "$1"
                trap 'exit 0' TERM
                while :; do sleep 1; done
                """);
        home.script("launch", """
                ( setsid bin/server "$1" & )
                exit 0
                """);
    }

    private String agents(String daemon) {
        return """
                {"version": 1, "agents": [{"id": "d", "command": "bin/launch", "args": ["%s"],
                  "daemon": %s, "stop": {"timeoutSec": 2}}]}
                """.formatted(home.file("server.pid"), daemon);
    }

    @Test
    void theDaemonNamedByItsPidFileIsTheAgentAndAStaleFileNeverNamesIt() throws Exception {
        daemonScripts();
        // a PID file left from before, naming an unrelated process that started before the run
        Process stranger = new ProcessBuilder("sleep", "300").start();
        started.add(stranger.pid());
        dev.agentdeck.testutil.TestHome.write(home.file("server.pid"), stranger.pid() + "\n");
        open(agents("{\"pidFile\": \"server.pid\", \"timeoutSec\": 5}"));

        AgentStatus s = started("d");
        long daemon = Procs.readPid(home.file("server.pid"));
        started.add(daemon);
        assertEquals(AgentState.RUNNING, s.state(), s.message());
        assertEquals(daemon, s.pid(), "the agent is the daemon, not the launcher or the stranger");
        assertTrue(stranger.isAlive(), "the process the stale file named is untouched");
        flushEvents();
        assertTrue(log.events("d", EventType.SPAWNED).stream().anyMatch(e -> e.message().startsWith("running as daemon PID " + daemon)),
                log.describe().toString());

        AgentStatus stopped = await(engine.stop("d"));
        assertEquals(AgentState.STOPPED, stopped.state());
        assertFalse(Procs.running(daemon), "stopping the agent stops its daemon");
        assertTrue(stranger.isAlive());

        AgentStatus again = started("d");
        long second = Procs.readPid(home.file("server.pid"));
        started.add(second);
        assertNotEquals(daemon, second);
        assertEquals(second, again.pid());
        AgentStatus restarted = await(engine.restart("d"));
        long third = Procs.readPid(home.file("server.pid"));
        started.add(third);
        assertEquals(third, restarted.pid(), "a restart starts the launcher again and takes its new daemon");
        assertFalse(Procs.running(second));
        stranger.destroy();
    }

    @Test
    void aDaemonIsAdoptedAfterAnEngineRestartAndStoppedByTheNewEngine() throws Exception {
        daemonScripts();
        open(agents("{\"pidFile\": \"server.pid\"}"));
        long daemon = started("d").pid();
        started.add(daemon);
        closeEngine(); // agents outlive the engine
        assertTrue(Procs.running(daemon));

        reopen(home.workspace()).subscribe(log);
        AgentStatus adopted = engine.status("d").orElseThrow();
        assertEquals(AgentState.RUNNING, adopted.state(), adopted.message());
        assertEquals(Origin.ADOPTED, adopted.origin());
        assertEquals(daemon, adopted.pid());
        assertEquals(AgentState.STOPPED, await(engine.stop("d")).state());
        assertFalse(Procs.running(daemon));
    }

    @Test
    void withoutAPidFileTheOneProcessTheLauncherLeftIsTheDaemon() throws Exception {
        daemonScripts();
        open(agents("{}"));
        AgentStatus s = started("d");
        Await.until("the daemon wrote its PID", WAIT, () -> Procs.readPid(home.file("server.pid")) > 0);
        long daemon = Procs.readPid(home.file("server.pid"));
        started.add(daemon);
        assertEquals(daemon, s.pid());
        assertEquals(AgentState.STOPPED, await(engine.stop("d")).state());
        assertFalse(Procs.running(daemon));
    }

    @Test
    void aLauncherThatLeavesNoDaemonOrDoesNotExitFailsTheStartWithTheReason() throws Exception {
        home.script("nothing", "exit 0");
        home.script("forever", "exec sleep 300");
        open("""
                {"version": 1, "agents": [
                  {"id": "n", "command": "bin/nothing", "daemon": {"pidFile": "n.pid", "timeoutSec": 1},
                   "restart": {"policy": "never"}},
                  {"id": "f", "command": "bin/forever", "daemon": {"timeoutSec": 1}, "stop": {"timeoutSec": 1},
                   "restart": {"policy": "never"}}]}
                """);
        Throwable none = failure(engine.start("n"));
        assertTrue(none.getMessage().contains("no daemon after 1 s") && none.getMessage().contains("n.pid"), none.getMessage());
        assertEquals(AgentState.FAILED, engine.status("n").orElseThrow().state());

        Path pidOf = home.file("f.pid");
        engine.start("f").whenComplete((st, t) -> { });
        long launcher = Await.value("the launcher runs", WAIT, () -> engine.status("f").orElseThrow().pid(), p -> p != null);
        started.add(launcher);
        Await.until("the start failed", WAIT, () -> engine.status("f").orElseThrow().state() == AgentState.FAILED);
        String message = engine.status("f").orElseThrow().message();
        assertTrue(message.contains("must daemonize and exit 0") && message.contains("after 1 s"), message);
        assertFalse(Procs.running(launcher), "the launcher that did not exit was stopped");
        assertFalse(pidOf.toFile().exists());
    }
}
