package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineSummary;
import dev.agentdeck.core.EventType;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live metrics of real process trees, and the limits that act on them. */
class MetricsAndLimitsTest extends EngineTestBase {
    private final List<SampleBatch> batches = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fastSampling() {
        TestHome.write(home.file("settings.json"), "{\"metricsIntervalMs\": 200, \"backgroundMetricsMs\": 200}");
    }

    private AgentStatus withUsage(String id, java.util.function.Predicate<AgentStatus> ok) {
        return Await.value(id + " has a usage sample", WAIT, () -> engine.status(id).orElseThrow(),
                s -> s.usage() != null && ok.test(s));
    }

    @Test
    void aCpuBurnerReadsAboveHalfACoreAndASleeperBelowFivePercent() throws Exception {
        home.script("burn", "while :; do :; done");
        open("""
                {"version": 1, "agents": [
                  {"id": "burner", "command": "bin/burn"},
                  {"id": "sleeper", "command": "sleep", "args": ["300"]}]}
                """);
        engine.subscribe(new EngineListener() {
            @Override
            public void onSamples(SampleBatch batch) {
                batches.add(batch);
            }
        });
        started("burner");
        started("sleeper");
        // a few samples in, so the CPU figure covers whole intervals
        AgentStatus burner = withUsage("burner", s -> s.usage().cpuPercent() > 50);
        AgentStatus sleeper = withUsage("sleeper", s -> true);
        Await.until("three samples of the sleeper", WAIT,
                () -> batches.stream().filter(b -> b.agents().stream().anyMatch(a -> a.agentId().equals("sleeper"))).count() >= 3);
        sleeper = engine.status("sleeper").orElseThrow();
        assertTrue(burner.usage().cpuPercent() > 50, "burner: " + burner.usage());
        assertTrue(sleeper.usage().cpuPercent() < 5, "sleeper: " + sleeper.usage());
        assertTrue(sleeper.usage().rssBytes() > 100_000, "RSS is read: " + sleeper.usage());
        assertTrue(sleeper.usage().threads() >= 1);
        assertTrue(batches.stream().anyMatch(b -> b.host() != null && b.host().memTotalBytes() > 0 && b.host().cores() > 0));
        EngineSummary summary = engine.summary();
        assertEquals(2, summary.running());
        assertTrue(summary.cpuPercent() > 50, summary.toString());
        assertTrue(engine.host().isPresent());
    }

    @Test
    void usageIsSummedOverTheWholeTree() throws Exception {
        home.script("family", "sleep 300 & sleep 300 & wait");
        open("""
                {"version": 1, "agents": [{"id": "fam", "command": "bin/family"}]}
                """);
        started("fam");
        // the tree's members are found by a full scan soon after the start
        AgentStatus s = Await.value("both children counted", WAIT, () -> engine.status("fam").orElseThrow(),
                st -> st.usage() != null && st.usage().children() == 2);
        assertEquals(3, s.usage().threads(), "one thread each in sh and two sleeps");
    }

    @Test
    void anAgentWhoseMemoryGrowsPastTheLimitIsRestarted() throws Exception {
        // doubles a shell string to ~40 MB, then waits
        home.script("hog", "a=0123456789; i=0; while [ $i -lt 22 ]; do a=\"$a$a\"; i=$((i+1)); done; sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "hog", "command": "bin/hog", "resources": {"memoryMb": 20}}]}
                """);
        long first = started("hog").pid();
        Await.until("the memory limit fired", WAIT, () -> {
            flushEvents();
            return !log.events("hog", EventType.RESOURCE_LIMIT).isEmpty();
        });
        AgentEvent limit = log.events("hog", EventType.RESOURCE_LIMIT).get(0);
        assertTrue(limit.message().contains("above the limit of 20 MB for 3 samples in a row; action: restart"), limit.message());
        AgentStatus again = Await.value("restarted", WAIT, () -> engine.status("hog").orElseThrow(),
                s -> s.state() == AgentState.RUNNING && s.restarts() >= 1);
        started.add(again.pid());
        assertNotEquals(first, again.pid());
    }

    @Test
    void theStopActionStopsTheAgentForGood() throws Exception {
        home.script("hog", "a=0123456789; i=0; while [ $i -lt 22 ]; do a=\"$a$a\"; i=$((i+1)); done; sleep 300");
        open("""
                {"version": 1, "agents": [{"id": "hog", "command": "bin/hog",
                  "resources": {"memoryMb": 20, "memoryAction": "stop"}, "restart": {"policy": "always"}}]}
                """);
        started("hog");
        AgentStatus s = Await.value("stopped by the limit", WAIT, () -> engine.status("hog").orElseThrow(),
                st -> st.state() == AgentState.STOPPED);
        assertTrue(s.lastExit().reason().startsWith("stopped by AgentDeck (memory"), s.lastExit().reason());
    }

    @Test
    void watchingAnAgentSamplesItAtTheFullRate() throws Exception {
        TestHome.write(home.file("settings.json"), "{\"metricsIntervalMs\": 100, \"backgroundMetricsMs\": 60000}");
        open("""
                {"version": 1, "agents": [{"id": "w", "command": "sleep", "args": ["300"]}]}
                """);
        engine.subscribe(new EngineListener() {
            @Override
            public void onSamples(SampleBatch batch) {
                batches.add(batch);
            }
        });
        started("w");
        Await.until("the first background sample", WAIT, () -> countSamples("w") >= 1);
        long t0 = System.currentTimeMillis();
        Await.until("a second passed", WAIT, () -> System.currentTimeMillis() - t0 > 1000);
        assertEquals(1, countSamples("w"), "unwatched: no second sample within the background interval");
        try (Subscription watch = engine.watchMetrics("w")) {
            Await.until("full-rate samples while watched", WAIT, () -> countSamples("w") >= 6);
        }
    }

    private long countSamples(String id) {
        return batches.stream().flatMap(b -> b.agents().stream()).filter(a -> a.agentId().equals(id)).count();
    }
}
