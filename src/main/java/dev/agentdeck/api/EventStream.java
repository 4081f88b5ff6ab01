package dev.agentdeck.api;

import com.sun.net.httpserver.HttpExchange;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.EngineListener;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/spawn/events}: every engine event as a server-sent event whose {@code id} is its sequence
 * number, so a client that reconnects with {@code Last-Event-ID} (or {@code ?after=N}) gets every event still
 * in memory that it missed, then the live ones, none twice. Frames carry no {@code event:} name, so
 * {@code EventSource.onmessage} sees them all; with {@code ?statuses=true} agent snapshots follow as
 * {@code event: status} frames. When events it asked for are no longer held, an {@code event: gap} frame says
 * which, and an {@code event: live} frame marks where the replay ends and live events begin.
 */
final class EventStream implements EngineListener, AutoCloseable {
    private final ProcessService engine;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private final Subscription subscription;

    private record Client(SseClient sse, boolean statuses) {
    }

    EventStream(ProcessService engine) {
        this.engine = engine;
        this.subscription = engine.subscribe(this);
    }

    Reply open(ApiRequest r) throws IOException {
        long after = lastEventId(r);
        boolean statuses = r.boolQuery("statuses", false);
        HttpExchange ex = r.exchange();
        Client c = new Client(new SseClient(ex, "events-" + names.incrementAndGet(), s -> clients.removeIf(x -> x.sse == s)),
                statuses);
        clients.add(c); // first, so nothing published from now on is missed; the replay overlaps and is de-duplicated
        try {
            List<SseClient.Frame> replay = new ArrayList<>();
            replay.add(new SseClient.Frame(0, "retry: 2000\n\n"));
            if (after >= 0) {
                EventReplay.after(engine, after, false, EventStream::frame, replay::add);
            }
            if (statuses) {
                Instant now = Instant.now();
                var specs = SpawnRoutes.specsById(engine);
                for (AgentStatus s : engine.statuses()) {
                    replay.add(statusFrame(specs.get(s.id()), s, now));
                }
            }
            replay.add(new SseClient.Frame(0, "event: live\ndata: {}\n\n"));
            c.sse.start(replay);
        } catch (RuntimeException | IOException e) {
            clients.remove(c); // no writer will ever remove it
            throw e;
        }
        return Reply.STREAMING;
    }

    /** {@code Last-Event-ID} or {@code ?after=}; -1 when the client asks only for what comes from now on. */
    static long lastEventId(ApiRequest r) {
        String v = r.header("Last-Event-ID");
        String name = "Last-Event-ID";
        if (v == null) {
            v = r.query("after");
            name = "query parameter after";
        }
        if (v == null || v.isBlank()) {
            return -1;
        }
        try {
            long id = Long.parseLong(v.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " \"" + v + "\" must be the id of an event (a whole number, 0 or more)");
    }

    static SseClient.Frame frame(AgentEvent e) {
        return new SseClient.Frame(e.seq(), "id: " + e.seq() + "\ndata: " + Json.compact(Views.event(e)) + "\n\n");
    }

    private static SseClient.Frame statusFrame(dev.agentdeck.core.AgentSpec spec, AgentStatus s, Instant now) {
        return new SseClient.Frame(0, "event: status\ndata: " + Json.compact(Views.process(spec, s, now)) + "\n\n");
    }

    int clientCount() {
        return clients.size();
    }

    @Override
    public void onEvent(AgentEvent e) {
        if (clients.isEmpty()) {
            return;
        }
        SseClient.Frame f = frame(e);
        for (Client c : clients) {
            c.sse.offer(f);
        }
    }

    @Override
    public void onStatus(AgentStatus s) {
        SseClient.Frame f = null;
        for (Client c : clients) {
            if (c.statuses) {
                if (f == null) {
                    f = statusFrame(SpawnRoutes.specsById(engine).get(s.id()), s, Instant.now());
                }
                c.sse.offer(f);
            }
        }
    }

    @Override
    public void close() {
        subscription.close();
        clients.forEach(c -> c.sse.end());
    }
}
