package dev.agentdeck.app;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Origin;
import dev.agentdeck.remote.RemoteEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EventLog;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.UpdateBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Supervision that outlives the window: the panel hands its agents to a background serve on closing, and a panel
 * attached to a serve sees it die and come back. Real serve processes; only PIDs the test started are killed.
 */
class HandOverTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path tmp;
    private final List<Long> serves = new ArrayList<>();
    private final List<Long> agents = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        for (long pid : serves) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: the serve ends, agents keep running
            Await.until("serve " + pid + " ended", WAIT, () -> !Procs.running(pid));
        }
        Procs.killAll(agents);
    }

    private TestHome home() {
        return new TestHome(tmp).agentsJson("""
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"], "restart": {"policy": "always", "delayMs": 100}},
                  {"id": "b", "command": "sleep", "args": ["300"]}]}
                """);
    }

    @Test
    void closingWithHandOverLeavesEveryAgentRunningUnderABackgroundServe() throws Exception {
        TestHome home = home();
        var ws = home.workspace();
        EngineSession panel = EngineSession.owned(ws, "t", HomeLock.tryAcquire(ws, "panel").orElseThrow(),
                ApiOptions.parse(List.of("--api-port", "0"), ApiOptions.DEFAULT).options(), null);
        panel.service().startAll().get(20, TimeUnit.SECONDS);
        Map<String, Long> before = panel.service().statuses().stream().collect(Collectors.toMap(AgentStatus::id, AgentStatus::pid));
        agents.addAll(before.values());

        long serve = panel.close(EngineSession.CloseAction.HAND_OVER);
        serves.add(serve);
        assertTrue(serve > 0 && serve != ProcessHandle.current().pid());
        assertEquals("serve", HomeLock.holder(ws).kind(), "the background serve owns the home now");
        before.values().forEach(pid -> assertTrue(Procs.running(pid), "agent " + pid + " kept running"));

        // the next panel attaches to it
        int[] exit = {-1};
        assertTrue(PanelLaunch.claim(CommandLine.parse("--home", home.dir().toString()), System.err, exit).orElseThrow().attach());
        RemoteEngine attached = RemoteEngine.connect(ApiClient.forWorkspace(ws));
        closing.add(attached);
        assertTrue(attached.awaitConnected(WAIT), String.valueOf(attached.connection()));
        for (AgentStatus s : attached.statuses()) {
            assertEquals(AgentState.RUNNING, s.state(), s.toString());
            assertEquals(before.get(s.id()), s.pid(), "the same process, not started again");
            assertEquals(Origin.ADOPTED, s.origin());
        }

        long old = before.get("a");
        ProcessHandle.of(old).ifPresent(ProcessHandle::destroyForcibly); // a crash
        AgentStatus again = dev.agentdeck.testutil.Await.value("the serve restarted a", WAIT,
                () -> attached.status("a").orElseThrow(), s -> s.state() == AgentState.RUNNING && s.pid() != null && s.pid() != old);
        agents.add(again.pid());
        assertNotEquals(old, again.pid());
        attached.stopAll().get(20, TimeUnit.SECONDS);
    }

    @Test
    void leavingRunningLetsTheNextEngineAdoptAndStoppingAllLeavesNothing() throws Exception {
        TestHome home = home();
        var ws = home.workspace();
        ApiOptions noApi = ApiOptions.parse(List.of("--no-api"), ApiOptions.DEFAULT).options();
        EngineSession first = EngineSession.open(ws, "t", noApi, null);
        assertTrue(first.owned());
        first.service().startAll().get(20, TimeUnit.SECONDS);
        Map<String, Long> pids = first.service().statuses().stream().collect(Collectors.toMap(AgentStatus::id, AgentStatus::pid));
        agents.addAll(pids.values());
        assertEquals(-1, first.close(EngineSession.CloseAction.LEAVE_RUNNING));
        pids.values().forEach(pid -> assertTrue(Procs.running(pid), "left running"));

        EngineSession second = EngineSession.open(ws, "t", noApi, null);
        assertTrue(second.owned(), "the home was let go");
        second.service().statuses().forEach(s -> assertEquals(pids.get(s.id()), s.pid(), "adopted, not started again"));
        second.close(EngineSession.CloseAction.STOP_ALL);
        pids.values().forEach(pid -> assertTrue(!Procs.running(pid), "stopped: " + pid));
        assertTrue(HomeLock.tryAcquire(ws, "test").map(l -> {
            l.close();
            return true;
        }).orElse(false), "and the home is free");
    }

    @Test
    void aPanelAttachedToAServeThatIsKilledShowsItAndReconnectsWhenItIsBack() throws Exception {
        TestHome home = home();
        var ws = home.workspace();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process first = serve(home, port, 0);
        RemoteEngine remote = RemoteEngine.connect(ApiClient.forWorkspace(ws));
        closing.add(remote);
        assertTrue(remote.awaitConnected(WAIT), String.valueOf(remote.connection()));
        MainViewModel vm = new MainViewModel(remote, Runnable::run, Messages.load(Locale.ENGLISH), "test");
        UpdateBridge bridge = new UpdateBridge(remote, Runnable::run, vm::apply, 0);
        closing.add(bridge);
        EventLog log = new EventLog();
        remote.subscribe(log);
        long pid = remote.start("a").get(10, TimeUnit.SECONDS).pid();
        agents.add(pid);
        bridge.flush();
        assertEquals("", vm.connectionBanner(java.time.Instant.now()));

        first.destroyForcibly(); // kill -9 of the engine
        first.waitFor(10, TimeUnit.SECONDS);
        Await.until("the panel shows the engine lost", WAIT, () -> {
            bridge.flush();
            return !vm.connectionProperty().get().connected();
        });
        String banner = vm.connectionBanner(java.time.Instant.now());
        assertTrue(banner.startsWith("Not connected to the engine at http://127.0.0.1:" + port), banner);
        assertTrue(banner.contains("Trying again in"), banner);
        assertEquals(2, vm.rows().size(), "what it last sent stays on screen (dimmed)");
        assertTrue(Procs.running(pid), "the agent outlives its engine");

        serve(home, port, 1);
        Await.until("the panel is connected again", WAIT, () -> {
            bridge.flush();
            return vm.connectionProperty().get().connected();
        });
        assertEquals("", vm.connectionBanner(java.time.Instant.now()));
        AgentStatus a = remote.status("a").orElseThrow();
        assertEquals(pid, a.pid(), "the new engine adopted the agent");
        assertEquals(Origin.ADOPTED, a.origin());
        Await.until("the row shows the adopted agent", WAIT, () -> {
            bridge.flush();
            return vm.row("a").adoptedProperty().get();
        });
        Await.until("the new engine's ADOPTED event arrived", WAIT, () -> !log.events("a", EventType.ADOPTED).isEmpty());
        remote.stopAll().get(20, TimeUnit.SECONDS);
    }

    private Process serve(TestHome home, int port, int n) throws Exception {
        Process p = dev.agentdeck.testutil.ServeProcess.start(home.dir(), tmp.resolve("serve-" + n + ".out"), List.of(),
                "--api-port", Integer.toString(port));
        serves.add(p.pid());
        Await.until("serve " + n + " owns the home", WAIT, () -> HomeLock.holder(home.workspace()).pid() == p.pid()
                && Files.exists(home.workspace().apiJson()));
        return p;
    }
}
