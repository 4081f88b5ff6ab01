package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.Signal;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /api/spawn/events: every event, in order, with ids; a reconnect misses none and repeats none; slow readers are dropped. */
class EventStreamTest extends ApiTestBase {
    private static final String ONE = """
            {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
            """;

    /** Follows the stream on its own thread, collecting message events (and noting the replay's end). */
    private final class Follower {
        final List<JsonNode> events = new CopyOnWriteArrayList<>();
        final AtomicBoolean live = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final CompletableFuture<String> done;

        Follower(String lastId) {
            ApiClient client = new ApiClient(api.url(), api.token());
            done = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.stream("/api/spawn/events", lastId, e -> {
                        if (e.name().equals("live")) {
                            live.set(true);
                        } else if (e.name().equals("message")) {
                            try {
                                JsonNode n = Json.MAPPER.readTree(e.data());
                                assertEquals(e.id(), n.get("id").asText(), "the SSE id is the event's id");
                                events.add(n);
                            } catch (Exception ex) {
                                throw new AssertionError(ex);
                            }
                        }
                        return !stop.get();
                    });
                } catch (Exception ex) {
                    throw new AssertionError(ex);
                }
            });
            Await.until("the stream is live", WAIT, live::get);
        }

        List<String> types() {
            return events.stream().map(n -> n.get("type").asText()).toList();
        }

        List<Long> ids() {
            return events.stream().map(n -> n.get("id").asLong()).toList();
        }
    }

    @Test
    void eventsArriveInOrderWithConsecutiveIdsAndTheSeedsTypeNames() throws Exception {
        open(ONE);
        Follower f = new Follower(null);
        long pid = pidOf(post("/api/spawn/process/a/start", null));
        assertEquals(200, post("/api/spawn/process/a/restart", null).status());
        pidOf(get("/api/spawn/process/a"));
        assertEquals(200, post("/api/spawn/process/a/stop", null).status());
        Await.until("the stop is streamed", WAIT, () -> f.types().contains("stopped") && f.types().lastIndexOf("spawned") > 0);
        List<Long> ids = f.ids();
        for (int i = 1; i < ids.size(); i++) {
            assertEquals(ids.get(i - 1) + 1, ids.get(i), "no gap, no repeat: " + ids);
        }
        List<String> t = f.types();
        assertTrue(t.indexOf("spawned") < t.indexOf("restarted") && t.indexOf("restarted") < t.lastIndexOf("stopped"), t.toString());
        assertEquals("a", f.events.get(0).get("processId").asText());
        assertTrue(pid > 0);
        f.stop.set(true);
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsWhatItMissedOnceThenLiveEvents() throws Exception {
        open(ONE);
        pidOf(post("/api/spawn/process/a/start", null));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post("/api/spawn/process/a/signal", "{\"signal\": \"WINCH\"}").status());
        }
        List<Long> all = engine.recentEvents(0).stream().map(e -> e.seq()).toList();
        long resumeAfter = all.get(all.size() - 4);
        Follower f = new Follower(Long.toString(resumeAfter));
        Await.until("the replay arrived", WAIT, () -> f.events.size() >= 3);
        assertEquals(all.subList(all.size() - 3, all.size()), f.ids(), "exactly the events after the given id");
        assertEquals(200, post("/api/spawn/process/a/signal", "{\"signal\": \"WINCH\"}").status());
        Await.until("the live event arrived", WAIT, () -> f.events.size() == 4);
        assertEquals(all.get(all.size() - 1) + 1, f.ids().get(3));
        assertEquals("signal_sent", f.types().get(3));
        f.stop.set(true);

        assertEquals(400, get("/api/spawn/events?after=soon").status());
        assertEquals(400, get("/api/spawn/events?after=-3").status());

        // an id above the newest comes from an earlier run of the engine: a gap frame, then all that is held
        List<String> names = new CopyOnWriteArrayList<>();
        new ApiClient(api.url(), api.token()).stream("/api/spawn/events", "999999", e -> {
            names.add(e.name());
            return !e.name().equals("live");
        });
        assertEquals("gap", names.get(0), names.toString());
        assertEquals(all.size() + 1, names.stream().filter("message"::equals).count(), names.toString());
    }

    @Test
    void aClientThatStopsReadingIsDroppedAndNeitherTheEngineNorOtherClientsWait() throws Exception {
        open(ONE);
        pidOf(post("/api/spawn/process/a/start", null));
        Follower good = new Follower(null);
        // A client whose socket accepts nothing more: its writes block, as a peer that stopped reading makes them.
        StalledExchange stalled = new StalledExchange("/api/spawn/events");
        try (EventStream stream = new EventStream(engine)) {
            stream.open(new ApiRequest(stalled, java.util.Map.of(), new byte[0]));
            Await.until("the stalled writer is blocked", WAIT, stalled::blocked);
            int n = SseClient.QUEUE + 500;
            long t0 = System.nanoTime();
            for (int burst = 0; burst < n / 500; burst++) {
                List<CompletableFuture<?>> sent = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    sent.add(engine.signal("a", Signal.WINCH));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                long want = (burst + 1) * 500L;
                Await.until("the reading client kept up", WAIT,
                        () -> good.types().stream().filter("signal_sent"::equals).count() == want);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            Await.until("the stalled client was dropped", WAIT, () -> stream.clientCount() == 0 && stalled.closed());
            assertTrue(ms < 30_000, "the engine went on (" + ms + " ms for " + n + " signals)");
        }
        good.stop.set(true);
    }

    private int statsStreams() {
        return fetch("/api/spawn/metrics").data().at("/api/eventStreams").asInt();
    }
}
