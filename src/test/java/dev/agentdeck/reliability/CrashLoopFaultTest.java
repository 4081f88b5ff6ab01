package dev.agentdeck.reliability;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: twenty agents crash-loop at once. Each backs off with doubling delays and ends FATAL; meanwhile three
 * healthy agents keep their fast TCP health checks on time (the test's own listeners count every probe).
 */
@Tag("reliability")
class CrashLoopFaultTest {
    private static final int CRASHERS = 20;
    private static final long PROBE_INTERVAL_MS = 100;
    /**
     * The longest a healthy agent may go without a probe while the crashers loop. A probe is due every interval
     * after the previous one ended; seen here: at most ~160 ms between probes. The bound leaves room for
     * scheduling jitter on a loaded 2-core machine; a starved probe pool shows as whole seconds.
     */
    private static final long MAX_PROBE_GAP_MS = 10 * PROBE_INTERVAL_MS;
    @TempDir
    Path tmp;
    private EngineFixture fx;
    private final List<ServerSocket> listeners = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (fx != null) {
                fx.close();
            }
        } finally {
            for (ServerSocket s : listeners) {
                s.close();
            }
        }
    }

    /** A loopback listener that accepts and closes every connection, noting when each arrived. */
    private ServerSocket listener(List<Long> acceptedAtMs) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listeners.add(s);
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    s.accept().close();
                    acceptedAtMs.add(System.currentTimeMillis());
                }
            } catch (IOException e) {
                // closed by the test
            }
        }, "probe-listener-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        return s;
    }

    @Test
    void twentyCrashLoopsBackOffToFatalWithoutStarvingTheHealthChecksOfTheOthers() throws Exception {
        fx = new EngineFixture(tmp);
        Path crashPids = fx.home.file("crash.pids");
        fx.home.script("crash", "echo $$ >> " + crashPids + "\necho 'boom' >&2\nexit 3");
        List<List<Long>> probes = new ArrayList<>();
        StringBuilder agents = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            List<Long> accepted = new CopyOnWriteArrayList<>();
            probes.add(accepted);
            agents.append("""
                    {"id": "ok%d", "command": "sleep", "args": ["300"],
                     "healthCheck": {"type": "tcp", "port": %d, "intervalMs": %d, "timeoutMs": 1000, "failureThreshold": 1}},
                    """.formatted(i, listener(accepted).getLocalPort(), PROBE_INTERVAL_MS));
        }
        agents.append(IntStream.rangeClosed(1, CRASHERS).mapToObj(i -> """
                {"id": "crash%d", "command": "bin/crash",
                 "restart": {"policy": "on-failure", "delayMs": 100, "maxDelayMs": 2000, "burst": 5, "windowSec": 60}}"""
                .formatted(i)).collect(Collectors.joining(",\n")));
        LocalEngine engine = fx.open("{\"version\": 1, \"agents\": [" + agents + "]}");
        List<Long> healthyPids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            healthyPids.add(fx.start("ok" + i).pid());
        }
        for (int i = 1; i <= 3; i++) {
            String id = "ok" + i;
            Await.until(id + " is healthy", EngineFixture.WAIT, () -> engine.status(id).orElseThrow().health() == Health.HEALTHY);
        }

        long loopStart = System.currentTimeMillis();
        for (int i = 1; i <= CRASHERS; i++) {
            engine.start("crash" + i); // each fails: the crash loop begins
        }
        for (int i = 1; i <= CRASHERS; i++) {
            String id = "crash" + i;
            Await.until(id + " gave up", EngineFixture.WAIT, () -> engine.status(id).orElseThrow().state() == AgentState.FATAL);
        }
        long loopEnd = System.currentTimeMillis();
        engine.flushEvents();

        for (int i = 1; i <= CRASHERS; i++) {
            String id = "crash" + i;
            AgentStatus fatal = engine.status(id).orElseThrow();
            assertEquals("gave up after 5 failed starts in 60 s; last exit code 3", fatal.message(), id);
            List<Long> delays = fx.log.events(id, EventType.BACKOFF).stream()
                    .map(e -> ((Number) e.details().get("delayMs")).longValue()).toList();
            assertEquals(List.of(100L, 200L, 400L, 800L), delays, id + " doubled its delay");
            List<AgentEvent> backoffs = fx.log.events(id, EventType.BACKOFF);
            List<AgentEvent> restarts = fx.log.events(id, EventType.RESTARTED);
            assertEquals(4, restarts.size(), id);
            for (int r = 0; r < restarts.size(); r++) {
                long waited = Duration.between(backoffs.get(r).time(), restarts.get(r).time()).toMillis();
                assertTrue(waited >= delays.get(r) - 20, id + " restart " + r + " waited only " + waited + " ms");
            }
        }
        List<Long> crashed = Files.readAllLines(crashPids).stream().map(Long::parseLong).toList();
        fx.started.addAll(crashed);
        assertEquals(CRASHERS * 5, crashed.size(), "every agent started exactly five times");
        crashed.forEach(pid -> assertFalse(Procs.running(pid), "crashed process " + pid + " is gone"));

        // the healthy ones: same process, healthy, no failed probe, and a probe in every slot while the others looped
        for (int i = 1; i <= 3; i++) {
            String id = "ok" + i;
            AgentStatus s = engine.status(id).orElseThrow();
            assertEquals(AgentState.RUNNING, s.state(), id);
            assertEquals(healthyPids.get(i - 1), s.pid(), id);
            assertEquals(Health.HEALTHY, s.health(), id);
            assertTrue(fx.log.events(id, EventType.HEALTH_CHECK_FAILED).isEmpty(), id + ": " + fx.log.describe());
            assertTrue(fx.log.events(id, EventType.UNHEALTHY).isEmpty(), id);
            // the window's ends count as probes, so a silence at its start or end counts as a gap too
            List<Long> times = new ArrayList<>(List.of(loopStart));
            probes.get(i - 1).stream().filter(t -> t > loopStart && t < loopEnd).forEach(times::add);
            times.add(loopEnd);
            long maxGap = 0;
            for (int k = 1; k < times.size(); k++) {
                maxGap = Math.max(maxGap, times.get(k) - times.get(k - 1));
            }
            System.out.printf("%s: %d probes in %d ms of crash loops, longest gap %d ms%n", id, times.size() - 2,
                    loopEnd - loopStart, maxGap);
            assertTrue(maxGap <= MAX_PROBE_GAP_MS, id + " went " + maxGap + " ms without a probe");
        }
    }
}
