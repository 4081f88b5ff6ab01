package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Json;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code /api/spawn/events} from event 0 for the whole soak, on one thread, and checks what no lost
 * event looks like: ids that grow by exactly one, no {@code gap} frame, and per agent a life that alternates
 * {@code spawned(pid)} and its end ({@code stopped}, {@code failed} or {@code exited} of that pid). A dropped
 * connection is resumed with {@code Last-Event-ID} and counted.
 */
final class SoakStream {
    /** One received event, with what the checks need; {@code restart} is the number a crash's restart carries, or -1. */
    record Event(long seq, String type, String agent, long pid, long restart, String message, long receivedNanos) {
    }

    private final ApiClient api;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Long> livePid = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Integer> byType = new TreeMap<>();
    private final CountDownLatch liveSeen = new CountDownLatch(1);
    private long lastSeq;
    private long missing;
    private long repeated;
    private int gapFrames;
    private int reconnects;
    private int lifeViolations;
    private volatile boolean stopping;
    private volatile Closeable body;
    private Thread reader;

    SoakStream(ApiClient api) {
        this.api = api;
    }

    void start() throws InterruptedException {
        reader = new Thread(this::follow, "soak-sse");
        reader.setDaemon(true);
        reader.start();
        if (!liveSeen.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the event stream did not reach its live part in 30 s");
        }
    }

    private void follow() {
        while (!stopping) {
            try {
                api.stream("/api/spawn/events", Long.toString(lastSeqSynced()), e -> {
                    on(e);
                    return !stopping;
                }, c -> body = c);
            } catch (CtlException | RuntimeException e) {
                if (!stopping) {
                    System.out.println("  event stream: " + e.getMessage() + "; resuming after id " + lastSeqSynced());
                }
            }
            if (!stopping) {
                synchronized (this) {
                    reconnects++;
                }
                sleep(500);
            }
        }
    }

    private synchronized long lastSeqSynced() {
        return lastSeq;
    }

    private synchronized void on(ApiClient.SseEvent e) {
        switch (e.name()) {
            case "live" -> liveSeen.countDown();
            case "gap" -> {
                gapFrames++;
                violations.add("gap frame: " + e.data());
            }
            case "message" -> onEvent(e);
            default -> {
                // status frames are not asked for
            }
        }
    }

    private void onEvent(ApiClient.SseEvent e) {
        long seq = Long.parseLong(e.id());
        if (seq <= lastSeq) {
            repeated++;
            return;
        }
        if (seq != lastSeq + 1) {
            missing += seq - lastSeq - 1;
            violations.add("ids jump from " + lastSeq + " to " + seq);
        }
        lastSeq = seq;
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(e.data());
        } catch (IOException ex) {
            violations.add("event " + seq + " is not JSON: " + e.data());
            return;
        }
        String type = n.path("type").asText();
        String agent = n.path("processId").isNull() ? null : n.path("processId").asText(null);
        long pid = n.path("details").path("pid").asLong(-1);
        Event ev = new Event(seq, type, agent, pid, n.path("details").path("restart").asLong(-1), n.path("message").asText(""),
                System.nanoTime());
        events.add(ev);
        byType.merge(type, 1, Integer::sum);
        checkLife(ev);
    }

    /** Each agent alternates spawned(pid) and one end of that pid. */
    private void checkLife(Event e) {
        if (e.agent == null) {
            return;
        }
        Long live = livePid.get(e.agent);
        switch (e.type) {
            case "spawned" -> {
                if (live != null) {
                    lifeViolation(e, "spawned PID " + e.pid + " while PID " + live + " had not ended");
                }
                livePid.put(e.agent, e.pid);
            }
            case "stopped", "failed", "exited" -> {
                if (live == null || live != e.pid) {
                    lifeViolation(e, e.type + " PID " + e.pid + " but the live PID was " + live);
                }
                livePid.remove(e.agent);
            }
            default -> {
                // other events do not change the process
            }
        }
    }

    private void lifeViolation(Event e, String what) {
        lifeViolations++;
        if (violations.size() < 50) {
            violations.add("event " + e.seq + " (" + e.agent + "): " + what);
        }
    }

    /** Waits until the stream reached at least {@code seq}; false at the deadline. */
    boolean awaitSeq(long seq, long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (lastSeqSynced() >= seq) {
                return true;
            }
            sleep(50);
        }
        return false;
    }

    void stop() {
        stopping = true;
        Closeable c = body;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized long missing() {
        return missing;
    }

    synchronized long repeated() {
        return repeated;
    }

    synchronized int gapFrames() {
        return gapFrames;
    }

    synchronized int reconnects() {
        return reconnects;
    }

    synchronized int lifeViolations() {
        return lifeViolations;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized Map<String, Integer> byType() {
        return new TreeMap<>(byType);
    }

    /** Agents whose last spawned process has no end on the stream. */
    synchronized Map<String, Long> openLives() {
        return new TreeMap<>(livePid);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
