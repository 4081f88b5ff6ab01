package dev.agentdeck.api;

import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Full-rate metrics for agents a remote panel shows ({@link ProcessService#watchMetrics}), held on a lease: a
 * client renews each watch within {@link #LEASE}, so the watches of a panel that went away end by themselves.
 */
final class MetricWatches implements AutoCloseable {
    static final Duration LEASE = Duration.ofSeconds(60);
    private final ProcessService engine;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-api-watches");
        t.setDaemon(true);
        return t;
    });

    private static final class Watch {
        final Subscription subscription;
        volatile long expiresAt;

        Watch(Subscription subscription, long expiresAt) {
            this.subscription = subscription;
            this.expiresAt = expiresAt;
        }
    }

    MetricWatches(ProcessService engine) {
        this.engine = engine;
        sweeper.scheduleWithFixedDelay(this::sweep, 10, 10, TimeUnit.SECONDS);
    }

    /** Starts watching an agent, or the host when {@code agentId} is null; returns the watch's id. */
    String open(String agentId) {
        if (agentId != null && engine.status(agentId).isEmpty()) {
            throw ApiError.notFound("no agent \"" + agentId + "\"");
        }
        String id = UUID.randomUUID().toString();
        watches.put(id, new Watch(engine.watchMetrics(agentId), deadline()));
        return id;
    }

    boolean renew(String id) {
        Watch w = watches.get(id);
        if (w == null) {
            throw ApiError.notFound("no watch \"" + id + "\" (it ended or its lease ran out)");
        }
        w.expiresAt = deadline();
        return true;
    }

    boolean close(String id) {
        Watch w = watches.remove(id);
        if (w != null) {
            w.subscription.close();
        }
        return w != null;
    }

    private static long deadline() {
        return System.nanoTime() + LEASE.toNanos();
    }

    private void sweep() {
        long now = System.nanoTime();
        watches.forEach((id, w) -> {
            if (now - w.expiresAt > 0) {
                close(id);
            }
        });
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        watches.keySet().forEach(this::close);
    }
}
