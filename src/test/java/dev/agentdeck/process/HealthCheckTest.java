package dev.agentdeck.process;

import com.sun.net.httpserver.HttpServer;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health probes against real servers the test runs on 127.0.0.1. */
class HealthCheckTest extends EngineTestBase {
    private HttpServer server;
    private ServerSocket tcp;

    @AfterEach
    void closeServers() throws Exception {
        if (server != null) {
            server.stop(0);
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    private Health health(String id) {
        return engine.status(id).orElseThrow().health();
    }

    private int count(String id, EventType type) {
        flushEvents();
        return log.events(id, type).size();
    }

    @Test
    void anHttpProbeThatFlipsGivesEachTransitionAndEventOnce() throws Exception {
        AtomicInteger code = new AtomicInteger(200);
        AtomicInteger requests = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(code.get(), -1);
            ex.close();
        });
        server.start();
        open("""
                {"version": 1, "agents": [{"id": "web", "command": "sleep", "args": ["300"],
                  "healthCheck": {"type": "http", "endpoint": "http://127.0.0.1:%d/health", "intervalMs": 100,
                                  "timeoutMs": 1000, "failureThreshold": 2, "successThreshold": 1}}]}
                """.formatted(server.getAddress().getPort()));
        started("web");
        Await.until("healthy", WAIT, () -> health("web") == Health.HEALTHY);
        Await.until("the passed event", WAIT, () -> count("web", EventType.HEALTH_CHECK_PASSED) == 1);
        int seen = requests.get();
        Await.until("five more probes while healthy", WAIT, () -> requests.get() >= seen + 5);
        assertEquals(1, count("web", EventType.HEALTH_CHECK_PASSED), "passing probes do not repeat the event");

        code.set(500);
        Await.until("unhealthy", WAIT, () -> health("web") == Health.UNHEALTHY);
        int seen2 = requests.get();
        Await.until("five more probes while unhealthy", WAIT, () -> requests.get() >= seen2 + 5);
        assertEquals(1, count("web", EventType.HEALTH_CHECK_FAILED));
        assertEquals(1, count("web", EventType.UNHEALTHY));
        AgentEvent unhealthy = log.events("web", EventType.UNHEALTHY).get(0);
        assertTrue(unhealthy.message().startsWith("HTTP 500 from http://127.0.0.1:"), unhealthy.message());
        assertTrue(unhealthy.details().containsKey("durationMs"));
        assertTrue(engine.status("web").orElseThrow().healthMessage().startsWith("HTTP 500"));

        code.set(200);
        Await.until("healthy again", WAIT, () -> health("web") == Health.HEALTHY);
        // the status changes a moment before the transition's event is published
        Await.until("the second passed event", WAIT, () -> count("web", EventType.HEALTH_CHECK_PASSED) == 2);
        int seen3 = requests.get();
        Await.until("five more probes while healthy again", WAIT, () -> requests.get() >= seen3 + 5);
        assertEquals(2, count("web", EventType.HEALTH_CHECK_PASSED));
        assertEquals(1, count("web", EventType.HEALTH_CHECK_FAILED));
        assertEquals(1, count("web", EventType.UNHEALTHY));
    }

    @Test
    void aTcpProbeFollowsTheListener() throws Exception {
        tcp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = tcp.getLocalPort();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    tcp.accept().close();
                }
            } catch (java.io.IOException e) {
                // closed by the test
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        open("""
                {"version": 1, "agents": [{"id": "db", "command": "sleep", "args": ["300"],
                  "healthCheck": {"type": "tcp", "port": %d, "intervalMs": 100, "timeoutMs": 500, "failureThreshold": 1}}]}
                """.formatted(port));
        started("db");
        Await.until("healthy while something listens", WAIT, () -> health("db") == Health.HEALTHY);
        assertTrue(engine.status("db").orElseThrow().healthMessage().equals("connected to 127.0.0.1:" + port));
        tcp.close();
        Await.until("unhealthy once nothing listens", WAIT, () -> health("db") == Health.UNHEALTHY);
        assertTrue(engine.status("db").orElseThrow().healthMessage().contains("connection refused"),
                engine.status("db").orElseThrow().healthMessage());
    }

    @Test
    void aCommandProbeRunsInTheAgentsFolderAndFollowsItsExitCode() throws Exception {
        Files.createDirectories(home.file("work"));
        open("""
                {"version": 1, "agents": [{"id": "job", "command": "sleep", "args": ["300"], "cwd": "work",
                  "healthCheck": {"type": "command", "command": ["test", "-f", "ready.flag"], "intervalMs": 100,
                                  "failureThreshold": 1}}]}
                """);
        started("job");
        Await.until("unhealthy without the flag", WAIT, () -> health("job") == Health.UNHEALTHY);
        assertEquals("test exited 1", engine.status("job").orElseThrow().healthMessage());
        Files.writeString(home.file("work/ready.flag"), "ok");
        Await.until("healthy with the flag in its cwd", WAIT, () -> health("job") == Health.HEALTHY);
    }

    @Test
    void aProbeThatHangsIsCutAtItsTimeoutAndDoesNotPileUp() throws Exception {
        Path marker = home.file("probes.log");
        home.script("slowcheck", "echo start >> \"$1\"; sleep 30");
        open("""
                {"version": 1, "agents": [{"id": "h", "command": "sleep", "args": ["300"],
                  "healthCheck": {"type": "command", "command": ["%s", "%s"], "intervalMs": 100, "timeoutMs": 300,
                                  "failureThreshold": 1}}]}
                """.formatted(home.file("bin/slowcheck"), marker));
        started("h");
        AgentStatus s = Await.value("unhealthy by timeout", WAIT, () -> engine.status("h").orElseThrow(),
                st -> st.health() == Health.UNHEALTHY);
        assertTrue(s.healthMessage().contains("did not finish within 300 ms; killed"), s.healthMessage());
        flushEvents();
        long duration = ((Number) log.events("h", EventType.UNHEALTHY).get(0).details().get("durationMs")).longValue();
        assertTrue(duration >= 290 && duration < 2000, "cut at the timeout: " + duration + " ms");
        // probes never overlap: with a 300 ms timeout and 100 ms interval, at most one runs at a time,
        // so in about 1.6 s at most 5 probes can have started
        long t0 = System.currentTimeMillis();
        Await.until("1.6 s passed", WAIT, () -> System.currentTimeMillis() - t0 > 1600);
        long starts = Files.readAllLines(marker).size();
        assertTrue(starts <= 6, "probes piled up: " + starts + " started");
    }

    @Test
    void anHttpEndpointThatNeverAnswersIsCutAtTheTimeout() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> {
            // never answer; the exchange stays open until the server stops
        });
        server.start();
        open("""
                {"version": 1, "agents": [{"id": "w", "command": "sleep", "args": ["300"],
                  "healthCheck": {"endpoint": "http://127.0.0.1:%d/health", "intervalMs": 100, "timeoutMs": 300,
                                  "failureThreshold": 1}}]}
                """.formatted(server.getAddress().getPort()));
        started("w");
        AgentStatus s = Await.value("unhealthy", WAIT, () -> engine.status("w").orElseThrow(),
                st -> st.health() == Health.UNHEALTHY);
        assertTrue(s.healthMessage().contains("within 300 ms"), s.healthMessage());
    }

    @Test
    void noCheckMeansAliveIsHealthy() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "plain", "command": "sleep", "args": ["300"]}]}
                """);
        assertEquals(Health.HEALTHY, started("plain").health());
    }

    @Test
    void restartOnUnhealthyRestartsTheAgent() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "sick", "command": "sleep", "args": ["300"],
                  "healthCheck": {"type": "command", "command": ["false"], "intervalMs": 100, "failureThreshold": 2,
                                  "restartOnUnhealthy": true}}]}
                """);
        long first = started("sick").pid();
        AtomicReference<AgentStatus> again = new AtomicReference<>();
        Await.until("restarted with a new process", WAIT, () -> {
            AgentStatus s = engine.status("sick").orElseThrow();
            again.set(s);
            return s.state() == AgentState.RUNNING && s.restarts() >= 1 && s.pid() != null && s.pid() != first;
        });
        started.add(again.get().pid());
        assertNotEquals(first, again.get().pid());
        flushEvents();
        List<AgentEvent> restarted = log.events("sick", EventType.RESTARTED);
        assertTrue(restarted.get(0).message().startsWith("restarting: unhealthy: false exited 1"), restarted.get(0).message());
    }
}
