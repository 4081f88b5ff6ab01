package dev.agentdeck.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.process.EngineListener;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/deck/stream}: everything a remote panel needs to mirror the engine, in the engine's own record
 * forms. It opens with {@code event: hello} (the engine's run, its newest event id, agents, config problems,
 * every status, the host sample, the counters), then the events the client missed (from {@code Last-Event-ID}, with {@code ?run=} naming
 * the engine run that id came from), {@code event: live}, and from then on {@code event: event} (with ids),
 * {@code event: status}, {@code event: samples} and, before an event that changed the configuration,
 * {@code event: agents}.
 */
final class WireStream implements EngineListener, AutoCloseable {
    private static final Set<EventType> CONFIG_EVENTS = EnumSet.of(EventType.AGENT_ADDED, EventType.AGENT_REMOVED,
            EventType.AGENT_CHANGED, EventType.CONFIG_RELOADED, EventType.CONFIG_INVALID);
    private final ProcessService engine;
    /** Names this run of the engine (event ids begin again at 1 in the next one). */
    private final String run;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private final Subscription subscription;

    WireStream(ProcessService engine) {
        this.engine = engine;
        this.run = ProcessHandle.current().pid() + "@" + engine.stats().startedAt();
        this.subscription = engine.subscribe(this);
    }

    Reply open(ApiRequest r) throws IOException {
        long after = EventStream.lastEventId(r);
        String clientRun = r.query("run");
        SseClient c = new SseClient(r.exchange(), "wire-" + names.incrementAndGet(), clients::remove);
        clients.add(c); // first, so nothing published from now on is missed; the replay overlaps and is de-duplicated
        try {
            List<SseClient.Frame> replay = new ArrayList<>();
            replay.add(new SseClient.Frame(0, "retry: 1000\n\n"));
            replay.add(named("hello", hello()));
            if (after >= 0) {
                EventReplay.after(engine, after, clientRun != null && !clientRun.equals(run), WireStream::eventFrame, replay::add);
            }
            replay.add(new SseClient.Frame(0, "event: live\ndata: {}\n\n"));
            c.start(replay);
        } catch (RuntimeException | IOException e) {
            clients.remove(c);
            throw e;
        }
        return Reply.STREAMING;
    }

    private Map<String, Object> hello() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", run);
        List<AgentEvent> held = engine.recentEvents(0);
        m.put("seq", held.isEmpty() ? 0 : held.get(held.size() - 1).seq());
        m.put("agents", WireForms.masked(engine.agents()));
        m.put("configProblems", engine.configProblems());
        m.put("historyProblem", engine.historyProblem().orElse(null));
        m.put("statuses", engine.statuses());
        m.put("host", engine.host().orElse(null));
        m.put("stats", engine.stats());
        m.put("containment", engine.containment());
        return m;
    }

    private static SseClient.Frame named(String name, Object data) {
        return new SseClient.Frame(0, "event: " + name + "\ndata: " + json(data) + "\n\n");
    }

    static SseClient.Frame eventFrame(AgentEvent e) {
        return new SseClient.Frame(e.seq(), "id: " + e.seq() + "\nevent: event\ndata: " + json(e) + "\n\n");
    }

    private static String json(Object o) {
        try {
            return Json.WIRE.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a wire frame could not be written", e);
        }
    }

    int clientCount() {
        return clients.size();
    }

    private void send(SseClient.Frame f) {
        for (SseClient c : clients) {
            c.offer(f);
        }
    }

    @Override
    public void onEvent(AgentEvent e) {
        if (clients.isEmpty()) {
            return;
        }
        if (CONFIG_EVENTS.contains(e.type())) {
            send(named("agents", Map.of("agents", WireForms.masked(engine.agents()),
                    "configProblems", engine.configProblems())));
        }
        send(eventFrame(e));
    }

    @Override
    public void onStatus(AgentStatus s) {
        if (!clients.isEmpty()) {
            send(named("status", s));
        }
    }

    @Override
    public void onSamples(SampleBatch batch) {
        if (!clients.isEmpty()) {
            send(named("samples", batch));
        }
    }

    @Override
    public void close() {
        subscription.close();
        clients.forEach(SseClient::end);
    }
}
