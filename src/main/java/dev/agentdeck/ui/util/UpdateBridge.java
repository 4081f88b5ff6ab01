package dev.agentdeck.ui.util;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Usage;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.EngineListener;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one path from the engine to the UI: collects statuses and resource samples (keeping only the latest
 * per agent) and events, and hands them over in one batch on the UI executor: at once after a quiet spell, and
 * at most one batch every {@code periodMs} while updates keep coming, so hundreds of busy agents never flood
 * the FX thread and a lone change is not held back.
 */
public final class UpdateBridge implements AutoCloseable {
    /**
     * What changed since the last batch: the latest status and usage per agent, the events, the latest host sample
     * or null, and the engine connection when it changed (else null).
     */
    public record Batch(List<AgentStatus> statuses, List<AgentEvent> events, Map<String, Usage> usage, HostSample host,
                        Connection connection) {
    }

    /** Receives one batch on the UI executor. */
    public interface Sink {
        void apply(Batch batch);
    }

    private final Executor ui;
    private final Sink sink;
    private final Object lock = new Object();
    private Map<String, AgentStatus> statuses = new LinkedHashMap<>();
    private List<AgentEvent> events = new ArrayList<>();
    private Map<String, Usage> usage = new LinkedHashMap<>();
    private HostSample host;
    private Connection connection;
    private final Subscription subscription;
    private final ScheduledExecutorService ticker;

    /**
     * @param periodMs the least time between two batches of resource samples alone; 0 hands batches over only on
     *                 {@link #flush()} (tests)
     */
    public UpdateBridge(ProcessService service, Executor ui, Sink sink, long periodMs) {
        this.ui = ui;
        this.sink = sink;
        this.subscription = service.subscribe(new EngineListener() {
            @Override
            public void onStatus(AgentStatus status) {
                boolean change;
                synchronized (lock) {
                    statuses.remove(status.id());
                    statuses.put(status.id(), status);
                    change = changes(lastSeen.put(status.id(), status), status);
                }
                arrived(change);
            }

            @Override
            public void onEvent(AgentEvent event) {
                synchronized (lock) {
                    events.add(event);
                }
                arrived(true);
            }

            @Override
            public void onConnection(Connection c) {
                synchronized (lock) {
                    connection = c;
                    // what was gathered came before the engine's state was replaced: the new state is read whole
                    if (c.connected()) {
                        statuses.clear();
                    }
                }
                flush(); // without waiting for the tick: the user should see a lost engine at once
            }

            @Override
            public void onSamples(SampleBatch batch) {
                synchronized (lock) {
                    batch.agents().forEach(a -> usage.put(a.agentId(), a.usage()));
                    if (batch.host() != null) {
                        host = batch.host();
                    }
                }
                arrived(false);
            }
        });
        if (periodMs > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agentdeck-ui-bridge");
                t.setDaemon(true);
                return t;
            });
        } else {
            ticker = null;
        }
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMs);
        this.changeGapNanos = TimeUnit.MILLISECONDS.toNanos(CHANGE_GAP_MS);
        // What the service reached before this bridge listened was told to nobody: the first batch says it.
        synchronized (lock) {
            if (connection == null) {
                connection = service.connection();
            }
        }
        arrived(true);
    }

    /** The last snapshot of each agent, to tell a change of state from a fresh usage figure. */
    private final Map<String, AgentStatus> lastSeen = new java.util.HashMap<>();

    /** Whether the user would see more than new usage figures: a new state, health, process or message. */
    private static boolean changes(AgentStatus before, AgentStatus now) {
        return before == null || before.state() != now.state() || before.health() != now.health()
                || !java.util.Objects.equals(before.pid(), now.pid()) || before.restarts() != now.restarts()
                || !java.util.Objects.equals(before.message(), now.message()) || before.removed() != now.removed();
    }

    /** The least time between batches that carry a state change or an event (the user waits for those). */
    public static final long CHANGE_GAP_MS = 25;
    private final long periodNanos;
    private final long changeGapNanos;
    /** When the scheduled batch goes, as System.nanoTime(); 0 when none is scheduled. */
    private long dueAt;
    private java.util.concurrent.ScheduledFuture<?> due;
    private long lastFlush = System.nanoTime() - Long.MAX_VALUE / 2;

    /**
     * Something came. A state change or an event goes to the UI at once after a quiet spell, else at most
     * {@link #CHANGE_GAP_MS} after the last batch; resource samples wait for the period. So a flood is still a
     * bounded number of batches a second, and nobody waits long to see an agent start or fail.
     */
    private void arrived(boolean change) {
        if (ticker == null) {
            return;
        }
        long at;
        synchronized (lock) {
            at = lastFlush + Math.min(periodNanos, change ? changeGapNanos : periodNanos);
            long now = System.nanoTime();
            if (at - now < 0) {
                at = now;
            }
            if (dueAt != 0 && dueAt - at <= 0) {
                return; // a batch goes no later than this one would
            }
            if (due != null) {
                due.cancel(false);
            }
            dueAt = at;
            try {
                due = ticker.schedule(this::flush, at - now, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                dueAt = 0; // closed
            }
        }
    }

    /** Hands over what has gathered, if anything, as one batch on the UI executor. */
    public void flush() {
        List<AgentStatus> s;
        List<AgentEvent> e;
        Map<String, Usage> u;
        HostSample h;
        Connection c;
        synchronized (lock) {
            dueAt = 0;
            due = null;
            lastFlush = System.nanoTime();
            if (statuses.isEmpty() && events.isEmpty() && usage.isEmpty() && host == null && connection == null) {
                return;
            }
            c = connection;
            connection = null;
            s = List.copyOf(statuses.values());
            e = List.copyOf(events);
            u = Map.copyOf(usage);
            h = host;
            statuses = new LinkedHashMap<>();
            events = new ArrayList<>();
            usage = new LinkedHashMap<>();
            host = null;
        }
        Batch batch = new Batch(s, e, u, h, c);
        ui.execute(() -> sink.apply(batch));
    }

    @Override
    public void close() {
        subscription.close();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
