package dev.agentdeck.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineStats;
import dev.agentdeck.core.Problem;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.EngineListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A remote engine's state as last received over {@code GET /api/deck/stream}, kept up to date by one reader thread
 * that reconnects after a drop (backing off up to {@link #MAX_BACKOFF}) with {@code Last-Event-ID}, so no event the
 * engine still holds is lost, and that drops a connection silent for longer than {@link #SILENCE} (the engine
 * sends a keep-alive every 20 s). Listeners are called on the reader thread, in the order the engine published.
 */
final class EngineMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineMirror.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** A connection that brought nothing, not even a keep-alive, for this long is taken for dead. */
    static final Duration SILENCE = Duration.ofSeconds(45);

    /** The longest a command's reply waits for its effect to come down the stream. */
    static final Duration CATCH_UP = Duration.ofSeconds(2);
    /** Events kept for {@code recentEvents}: as many as the engine keeps ({@code EventHub}). */
    private static final int RECENT = 2_000;

    private final ApiClient api;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final Thread reader;
    private volatile List<AgentSpec> agents = List.of();
    /** The latest snapshot per agent; only the reader thread writes it. */
    private final Map<String, AgentStatus> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile List<Problem> configProblems = List.of();
    private volatile String historyProblem;
    /** Null until the first hello, or from an engine older than containment reports. */
    private volatile dev.agentdeck.core.Containment containment;
    private volatile HostSample host;
    private volatile EngineStats stats;
    private volatile Connection connection;
    private final ArrayDeque<AgentEvent> recent = new ArrayDeque<>();
    private String run;
    /** The id of the last event received; 0 at first, so the first connection fills {@link #recent}. */
    private long lastSeq = 0;
    /** Events up to this id were history when the client first connected, not news for listeners. */
    private long historyUpTo = -1;
    private volatile boolean closed;
    private volatile Closeable body;
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();
    private boolean retryNow;
    private volatile long heardAt = System.nanoTime();
    /** The ids of {@link #agents}, for {@link #status}. */
    private volatile java.util.Set<String> ids = java.util.Set.of();
    private final java.util.concurrent.Executor completions;
    private final java.util.concurrent.ScheduledExecutorService watchdog =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agentdeck-remote-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** A command waiting until what was received meets its condition. */
    private record Waiter(Predicate<EngineMirror> condition, CompletableFuture<Void> done) {
    }

    /** @param completions where command futures complete (not the reader thread, which must keep reading) */
    EngineMirror(ApiClient api, java.util.concurrent.Executor completions) {
        this.api = api;
        this.completions = completions;
        this.connection = new Connection(Connection.State.CONNECTING, api.url(), null, null);
        this.reader = new Thread(this::follow, "agentdeck-remote-" + api.url());
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
        watchdog.scheduleWithFixedDelay(this::checkSilence, 10, 10, TimeUnit.SECONDS);
    }

    /** A half-open connection (a laptop that slept, a VPN that went) never ends by itself: end it. */
    private void checkSilence() {
        Closeable b = body;
        if (b != null && connection.connected() && System.nanoTime() - heardAt > SILENCE.toNanos()) {
            LOG.info("nothing from {} for {} s; reconnecting", api.url(), SILENCE.toSeconds());
            endStream();
        }
    }

    /** Ends the stream being read, so the reader sees it end (and reconnects unless closed). */
    private void endStream() {
        Closeable b = body;
        if (b != null) {
            try {
                b.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        reader.interrupt();
    }

    List<AgentSpec> agents() {
        return agents;
    }

    /** The latest snapshot of an agent, or null. */
    AgentStatus status(String id) {
        return ids.contains(id) ? statuses.get(id) : null; // a late frame of a removed agent is not shown
    }

    /** The latest snapshots in the agents' order. */
    List<AgentStatus> statuses() {
        List<AgentStatus> out = new ArrayList<>(agents.size());
        for (AgentSpec a : agents) {
            AgentStatus s = statuses.get(a.id());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    List<Problem> configProblems() {
        return configProblems;
    }

    String historyProblem() {
        return historyProblem;
    }

    HostSample host() {
        return host;
    }

    EngineStats stats() {
        return stats;
    }

    dev.agentdeck.core.Containment containment() {
        return containment;
    }

    void stats(EngineStats s) {
        stats = s;
    }

    Connection connection() {
        return connection;
    }

    List<AgentEvent> recentEvents(long afterSeq) {
        synchronized (recent) {
            return recent.stream().filter(e -> e.seq() > afterSeq).toList();
        }
    }

    void add(EngineListener l) {
        listeners.add(l);
    }

    void remove(EngineListener l) {
        listeners.remove(l);
    }

    /**
     * Completes when what was received meets {@code condition} (a command's effect has arrived, so the mirror
     * shows it as the in-process engine would), or after {@link #CATCH_UP} at the latest, or when disconnected.
     */
    CompletableFuture<Void> when(Predicate<EngineMirror> condition) {
        Waiter w = new Waiter(condition, new CompletableFuture<>());
        waiters.add(w);
        if (!connection.connected() || condition.test(this)) {
            w.done.complete(null);
        }
        return w.done.completeOnTimeout(null, CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, t) -> waiters.remove(w), completions);
    }

    private void checkWaiters() {
        for (Waiter w : waiters) {
            if (!connection.connected() || w.condition.test(this)) {
                w.done.complete(null);
            }
        }
    }

    /** Waits until the first state arrived or {@code timeout} passed; true when connected. */
    boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!connection.connected() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return connection.connected();
        }
    }

    /** Skips the wait before the next attempt. */
    void retryNow() {
        synchronized (lock) {
            retryNow = true;
            lock.notifyAll();
        }
    }

    private void follow() {
        int failures = 0;
        while (!closed) {
            String reason;
            try {
                String path = "/api/deck/stream" + (run == null ? "" : "?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8));
                heardAt = System.nanoTime();
                api.stream(path, Long.toString(lastSeq), ev -> {
                    apply(ev);
                    return !closed;
                }, b -> body = b, () -> heardAt = System.nanoTime());
                reason = "the engine closed the connection";
            } catch (CtlException e) {
                reason = e.status() == 401 ? "the engine refused the token (" + e.getMessage() + ")" : e.getMessage();
            } catch (RuntimeException e) {
                reason = "the stream from the engine broke: " + e;
                LOG.warn("following {} failed", api.url(), e);
            }
            if (closed) {
                return;
            }
            failures = connection.connected() ? 1 : failures + 1;
            long delay = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 10));
            Instant retryAt = Instant.now().plusMillis(delay);
            setConnection(new Connection(Connection.State.DISCONNECTED, api.url(), reason, retryAt));
            waitUntil(retryAt);
        }
    }

    private void waitUntil(Instant at) {
        synchronized (lock) {
            while (!closed && !retryNow) {
                long left = Duration.between(Instant.now(), at).toMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    if (closed) {
                        return;
                    }
                }
            }
            retryNow = false;
        }
    }

    private void setConnection(Connection c) {
        synchronized (lock) {
            connection = c;
            lock.notifyAll();
        }
        each(l -> l.onConnection(c));
        checkWaiters();
    }

    private void apply(ApiClient.SseEvent ev) {
        try {
            switch (ev.name()) {
                case "hello" -> hello(Json.MAPPER.readTree(ev.data()));
                case "event" -> {
                    AgentEvent e = Json.WIRE.readValue(ev.data(), AgentEvent.class);
                    if (e.seq() > historyUpTo) {
                        each(l -> l.onEvent(e));
                    }
                    synchronized (recent) { // after the listeners: what recentEvents shows has been delivered
                        recent.addLast(e);
                        while (recent.size() > RECENT) {
                            recent.removeFirst();
                        }
                    }
                    lastSeq = e.seq();
                    checkWaiters();
                }
                case "status" -> {
                    AgentStatus s = Json.WIRE.readValue(ev.data(), AgentStatus.class);
                    statuses.put(s.id(), s);
                    each(l -> l.onStatus(s));
                    checkWaiters();
                }
                case "samples" -> {
                    SampleBatch b = Json.WIRE.readValue(ev.data(), SampleBatch.class);
                    if (b.host() != null) {
                        host = b.host();
                    }
                    each(l -> l.onSamples(b));
                }
                case "agents" -> {
                    agents(Json.MAPPER.readTree(ev.data()));
                    checkWaiters();
                }
                case "gap" -> LOG.info("events from {} were missed: {}", api.url(), ev.data());
                default -> {
                    // anything newer than this client
                }
            }
        } catch (IOException e) {
            LOG.warn("a frame from {} could not be read: {} {}", api.url(), ev.name(), e.toString());
        }
    }

    /** Calls every listener; one that throws is logged and does not keep the others from the frame. */
    private void each(java.util.function.Consumer<EngineListener> call) {
        for (EngineListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a listener of {} failed", api.url(), e);
            }
        }
    }

    private void hello(JsonNode h) throws IOException {
        String helloRun = h.path("run").asText();
        if (run != null && !run.equals(helloRun)) {
            synchronized (recent) {
                recent.clear(); // ids began again at 1 in the engine's new run
            }
            historyUpTo = 0; // and what it replays was missed: news, whatever ids the earlier run had reached
        }
        run = helloRun;
        if (historyUpTo < 0) {
            historyUpTo = h.path("seq").asLong(0); // first connection: what the engine held is history
        }
        agents(h);
        historyProblem = h.path("historyProblem").isNull() ? null : h.path("historyProblem").asText();
        host = h.path("host").isNull() ? null : Json.WIRE.treeToValue(h.get("host"), HostSample.class);
        stats = Json.WIRE.treeToValue(h.get("stats"), EngineStats.class);
        containment = h.path("containment").isObject()
                ? Json.WIRE.treeToValue(h.get("containment"), dev.agentdeck.core.Containment.class) : null;
        List<AgentStatus> next = new ArrayList<>();
        for (JsonNode s : h.path("statuses")) {
            AgentStatus st = Json.WIRE.treeToValue(s, AgentStatus.class);
            next.add(st);
            statuses.put(st.id(), st);
        }
        setConnection(new Connection(Connection.State.CONNECTED, api.url(), null, null));
        next.forEach(s -> each(l -> l.onStatus(s)));
        checkWaiters();
    }

    private void agents(JsonNode n) throws IOException {
        List<AgentSpec> list = new ArrayList<>();
        for (JsonNode a : n.path("agents")) {
            list.add(Json.WIRE.treeToValue(a, AgentSpec.class));
        }
        List<Problem> problems = new ArrayList<>();
        for (JsonNode p : n.path("configProblems")) {
            problems.add(Json.WIRE.treeToValue(p, Problem.class));
        }
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (AgentSpec a : list) {
            ids.add(a.id());
            statuses.putIfAbsent(a.id(), AgentStatus.initial(a.id(), a.name()));
        }
        statuses.keySet().retainAll(ids);
        this.ids = java.util.Set.copyOf(ids);
        agents = List.copyOf(list);
        configProblems = List.copyOf(problems);
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        synchronized (lock) {
            lock.notifyAll();
        }
        endStream();
    }
}
