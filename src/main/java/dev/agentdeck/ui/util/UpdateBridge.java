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
 * per agent) and events, and hands them over in one batch at most every {@code periodMs} on the UI
 * executor, so hundreds of busy agents never flood the FX thread.
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
     * @param periodMs the longest an update waits; 0 hands batches over only on {@link #flush()} (tests)
     */
    public UpdateBridge(ProcessService service, Executor ui, Sink sink, long periodMs) {
        this.ui = ui;
        this.sink = sink;
        this.subscription = service.subscribe(new EngineListener() {
            @Override
            public void onStatus(AgentStatus status) {
                synchronized (lock) {
                    statuses.remove(status.id());
                    statuses.put(status.id(), status);
                }
            }

            @Override
            public void onEvent(AgentEvent event) {
                synchronized (lock) {
                    events.add(event);
                }
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
            }
        });
        if (periodMs > 0) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "agentdeck-ui-bridge");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::flush, periodMs, periodMs, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
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
