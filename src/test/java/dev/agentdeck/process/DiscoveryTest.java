package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DiscoveryReport;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Origin;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery and adoption of agents that already run, and refusal to touch processes that are not the agent. */
class DiscoveryTest extends EngineTestBase {
    /** Processes this test started itself, outside any engine. */
    private final List<Process> strangers = new ArrayList<>();

    @AfterEach
    void killStrangers() {
        strangers.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        strangers.forEach(Process::destroyForcibly);
    }

    private long startStranger(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        strangers.add(p);
        Await.until("the process runs", WAIT, () -> Procs.running(p.pid()));
        return p.pid();
    }

    @Test
    void aBareIntegerPidFileOfAnotherToolIsAdoptedWhenTheProcessIsTheAgent() throws Exception {
        long pid = startStranger("sleep", "3601");
        Files.createDirectories(home.file("run"));
        Files.writeString(home.file("run/worker.pid"), pid + "\n");
        open("""
                {"version": 1, "agents": [{"id": "worker", "command": "sleep", "args": ["3601"]}]}
                """);
        AgentStatus s = engine.status("worker").orElseThrow();
        assertEquals(AgentState.RUNNING, s.state());
        assertEquals(Origin.ADOPTED, s.origin());
        assertEquals(pid, s.pid());
        assertEquals("adopted: found by PID file", s.message());
        assertTrue(Files.readString(home.file("run/worker.pid")).contains("\"startTicks\""), "rewritten in AgentDeck's form");
        // the adopted process is not in its own group (the test started it): stop signals it alone, not the test's group
        assertEquals(AgentState.STOPPED, await(engine.stop("worker")).state());
        assertFalse(Procs.running(pid));
    }

    @Test
    void anAgentListeningOnItsPortIsAdoptedByPort() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> argv = List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), "dev.agentdeck.Main",
                "demo-agent", "web", "--port", String.valueOf(port));
        long pid = startStranger(argv.toArray(String[]::new));
        int p = port;
        Await.until("the web agent listens", WAIT, () -> dev.agentdeck.discovery.PortOwners.taken(p));
        String args = argv.subList(1, argv.size()).stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", "));
        open("""
                {"version": 1, "agents": [{"id": "web", "command": "%s", "args": [%s], "port": %d}]}
                """.formatted(java, args.replace("\\", "\\\\"), port));
        AgentStatus s = engine.status("web").orElseThrow();
        assertEquals(Origin.ADOPTED, s.origin());
        assertEquals(pid, s.pid());
        assertEquals("adopted: found by port " + port, s.message());
    }

    @Test
    void aStrangerHoldingThePortIsAConflictNamedAndTheAgentIsNotStartedOnIt() throws Exception {
        try (ServerSocket stranger = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = stranger.getLocalPort();
            open("""
                    {"version": 1, "agents": [{"id": "api", "command": "sleep", "args": ["300"], "port": %d}]}
                    """.formatted(port));
            long self = ProcessHandle.current().pid();
            AgentEvent conflict = engine.recentEvents(0).stream().filter(e -> e.type() == EventType.PORT_CONFLICT)
                    .findFirst().orElseThrow();
            assertEquals("port " + port + " is held by PID " + self + ": java", conflict.message());
            EngineException e = assertInstanceOf(EngineException.class, failure(engine.start("api")));
            assertEquals(ErrorCode.CONFLICT, e.code());
            assertEquals("cannot start agent \"api\": port " + port + " is held by PID " + self + ": java", e.getMessage());
            assertNull(engine.status("api").orElseThrow().pid());
        }
    }

    @Test
    void aProcessWithTheAgentsCommandLineIsAdoptedAndSeveralAreAmbiguous() throws Exception {
        long one = startStranger("sleep", "3603");
        long matched = startStranger("sleep", "3604");
        long twinA = startStranger("sleep", "3605");
        long twinB = startStranger("sleep", "3605");
        open("""
                {"version": 1, "agents": [
                  {"id": "derived", "command": "sleep", "args": ["3603"]},
                  {"id": "bymatch", "command": "bin/whatever", "match": "sleep 3604"},
                  {"id": "twins", "command": "sleep", "args": ["3605"]}]}
                """);
        assertEquals(one, engine.status("derived").orElseThrow().pid());
        assertEquals("adopted: found by command line", engine.status("derived").orElseThrow().message());
        assertEquals(matched, engine.status("bymatch").orElseThrow().pid());
        assertEquals(AgentState.STOPPED, engine.status("twins").orElseThrow().state());
        AgentEvent ambiguous = engine.recentEvents(0).stream()
                .filter(e -> "twins".equals(e.agentId()) && e.type() == EventType.ERROR).findFirst().orElseThrow();
        assertTrue(ambiguous.message().startsWith("2 processes match the command line \"sleep 3605\""), ambiguous.message());
        assertTrue(Procs.running(twinA) && Procs.running(twinB));
    }

    @Test
    void whenAnAdoptedProcessThatIsNotOurChildEndsItsExitCodeIsRecordedAsUnknown() throws Exception {
        // sh (our child) runs sleep and waits for it: sleep's parent is sh, so its exit status is sh's to collect
        Process sh = new ProcessBuilder("sh", "-c", "sleep 3607; true").start();
        strangers.add(sh);
        long sleep = Await.value("sh started its sleep", WAIT,
                () -> sh.descendants().map(ProcessHandle::pid).findFirst().orElse(-1L), pid -> pid > 0);
        open("""
                {"version": 1, "agents": [{"id": "nap", "command": "sleep", "args": ["3607"], "restart": {"policy": "never"}}]}
                """);
        assertEquals(sleep, engine.status("nap").orElseThrow().pid());
        ProcessHandle.of(sleep).ifPresent(ProcessHandle::destroyForcibly); // the test's own grandchild, by PID
        AgentStatus ended = Await.value("the end is noticed", WAIT, () -> engine.status("nap").orElseThrow(),
                s -> !s.state().hasProcess());
        assertEquals(AgentState.EXITED, ended.state());
        assertNull(ended.lastExit().code());
        assertTrue(ended.lastExit().reason().contains("exit code unknown"), ended.lastExit().reason());
        flushHistory();
        var run = engine.runs("nap", 5).get().get(0);
        assertEquals("adopted", run.origin());
        assertNull(run.exitCode());
        assertTrue(run.endReason().contains("exit code unknown"), run.endReason());
    }

    @Test
    void anAgentOfAnotherHomeWithTheSameCommandLineIsNeverAdopted() throws Exception {
        String json = """
                {"version": 1, "agents": [{"id": "web", "command": "sleep", "args": ["301"]}]}
                """;
        open(json);
        long theirs = started("web").pid();
        Path otherDir = Files.createDirectories(tmp.resolve("other-project"));
        Files.writeString(otherDir.resolve("agents.json"), json);
        LocalEngine other = LocalEngine.open(dev.agentdeck.config.Workspace.home(otherDir));
        try {
            assertEquals(AgentState.STOPPED, other.status("web").orElseThrow().state(),
                    "the other project's web runs under its own engine; same id, same command, not ours");
            assertTrue(await(other.refresh()).adopted().isEmpty());
            assertEquals(theirs, engine.status("web").orElseThrow().pid());
            assertTrue(Procs.running(theirs));
        } finally {
            other.close();
        }
    }

    @Test
    void aSecondEngineOnTheSameHomeAdoptsEveryAgentOfTheFirstAndStartsNone() throws Exception {
        String json = """
                {"version": 1, "agents": [
                  {"id": "a", "command": "sleep", "args": ["300"]},
                  {"id": "b", "command": "sleep", "args": ["300"], "dependsOn": ["a"]},
                  {"id": "c", "command": "sleep", "args": ["300"]}]}
                """;
        open(json);
        await(engine.startAll());
        Map<String, Long> first = engine.statuses().stream().collect(Collectors.toMap(AgentStatus::id, AgentStatus::pid));
        started.addAll(first.values());
        closeEngine();

        ProcessService second = reopen(home.workspace());
        for (AgentStatus s : second.statuses()) {
            assertEquals(AgentState.RUNNING, s.state(), s.toString());
            assertEquals(Origin.ADOPTED, s.origin());
            assertEquals(first.get(s.id()), s.pid(), "the same process");
        }
        await(second.startAll());
        second.statuses().forEach(s -> assertEquals(first.get(s.id()), s.pid(), "none started twice"));
        DiscoveryReport again = await(second.refresh());
        assertTrue(again.adopted().isEmpty(), "a refresh adopts nothing twice");
        await(second.stopAll());
        first.values().forEach(pid -> assertFalse(Procs.running(pid)));
    }

    @Test
    void aChildOfAnotherAgentIsNeverAdoptedAsAnAgentWithTheSameCommandLine() throws Exception {
        home.script("parent", "sleep 3607 &\nwait");
        open("""
                {"version": 1, "agents": [
                  {"id": "parent", "command": "bin/parent"},
                  {"id": "lookalike", "command": "sleep", "args": ["3607"]}]}
                """);
        long parent = started("parent").pid();
        long child = Await.value("the parent's child runs", WAIT, () -> ProcessHandle.of(parent)
                .flatMap(h -> h.children().findFirst()).map(ProcessHandle::pid).orElse(-1L), p -> p > 0);
        started.add(child);
        DiscoveryReport report = await(engine.refresh());
        assertTrue(report.adopted().isEmpty(), "nothing adopted: " + report.adopted());
        assertEquals(AgentState.STOPPED, engine.status("lookalike").orElseThrow().state());
        assertTrue(Procs.running(child));
    }
}
