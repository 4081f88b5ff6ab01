package dev.agentdeck.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.process.Subscription;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Metrics watches held on the engine ({@code POST /api/deck/watch}) for as long as the panel shows an agent:
 * renewed well within their lease, and opened again when the engine forgot them (it restarted).
 */
final class RemoteWatches implements AutoCloseable {
    private static final long RENEW_SECONDS = 20;
    private final ApiClient api;
    /** Local handle → the agent it watches (null key not allowed: the host is ""), and its engine-side id. */
    private final Map<Object, String[]> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-remote-watches");
        t.setDaemon(true);
        return t;
    });

    RemoteWatches(ApiClient api) {
        this.api = api;
        timer.scheduleWithFixedDelay(this::renewAll, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
    }

    Subscription watch(String agentId) {
        Object handle = new Object();
        String[] entry = {agentId, null};
        open.put(handle, entry);
        timer.execute(() -> openOnEngine(entry));
        return () -> {
            String[] e = open.remove(handle);
            if (e != null) {
                timer.execute(() -> closeOnEngine(e));
            }
        };
    }

    private void openOnEngine(String[] entry) {
        try {
            String q = entry[0] == null ? "" : "?agent=" + RemoteEngine.enc(entry[0]);
            JsonNode d = api.post("/api/deck/watch" + q, null).path("data");
            entry[1] = d.path("watch").asText(null);
        } catch (CtlException e) {
            entry[1] = null; // tried again at the next renewal
        }
    }

    private void closeOnEngine(String[] entry) {
        if (entry[1] != null) {
            try {
                api.call("DELETE", "/api/deck/watch/" + entry[1], null);
            } catch (CtlException e) {
                // it ends with its lease
            }
        }
    }

    private void renewAll() {
        for (String[] entry : open.values()) {
            if (entry[1] == null) {
                openOnEngine(entry);
                continue;
            }
            try {
                api.post("/api/deck/watch/" + entry[1] + "/renew", null);
            } catch (CtlException e) {
                if (e.status() == 404) {
                    openOnEngine(entry);
                }
            }
        }
    }

    /** Lets go of the watches without waiting for the engine (each ends with its lease if the DELETE is lost). */
    @Override
    public void close() {
        List<String[]> all = List.copyOf(open.values());
        open.clear();
        timer.shutdown(); // DELETEs of watches closed just before still go out; renewals stop
        Thread t = new Thread(() -> all.forEach(this::closeOnEngine), "agentdeck-remote-unwatch");
        t.setDaemon(true);
        t.start();
    }
}
