package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Publishes statuses and events to listeners on one dispatch thread, in the order they were published, so
 * state machines never wait on a listener. Events get consecutive sequence numbers, and the latest ones are
 * kept so a reconnecting client can catch up.
 */
final class EventHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private static final int KEEP = 2_000;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<AgentEvent> recent = new ArrayDeque<>();
    private final Thread thread;
    private long seq;
    private volatile boolean closed;

    EventHub(String name) {
        thread = new Thread(this::dispatch, "agentdeck-events-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    Subscription subscribe(EngineListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(AgentStatus status) {
        queue.add(() -> listeners.forEach(l -> {
            try {
                l.onStatus(status);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on a status of {}", status.id(), e);
            }
        }));
    }

    void publish(dev.agentdeck.metrics.SampleBatch batch) {
        queue.add(() -> listeners.forEach(l -> {
            try {
                l.onSamples(batch);
            } catch (RuntimeException e) {
                LOG.warn("a listener failed on samples", e);
            }
        }));
    }

    AgentEvent publish(String agentId, EventType type, String message, Map<String, Object> details) {
        AgentEvent event;
        synchronized (recent) {
            event = new AgentEvent(++seq, Instant.now(), agentId, type, message, details);
            recent.addLast(event);
            if (recent.size() > KEEP) {
                recent.removeFirst();
            }
            // enqueue under the lock so dispatch order equals sequence order
            queue.add(() -> listeners.forEach(l -> {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("a listener failed on event {}", event.seq(), e);
                }
            }));
        }
        LOG.debug("event {} {} {}: {}", event.seq(), agentId, type.wireName(), message);
        return event;
    }

    /** Events with a sequence number above {@code afterSeq} that are still kept, oldest first. */
    List<AgentEvent> recentEvents(long afterSeq) {
        synchronized (recent) {
            List<AgentEvent> out = new ArrayList<>();
            for (AgentEvent e : recent) {
                if (e.seq() > afterSeq) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /** Waits until everything published so far has been delivered (for orderly shutdown and tests). */
    void flush() {
        var done = new java.util.concurrent.CountDownLatch(1);
        queue.add(done::countDown);
        try {
            done.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch() {
        while (!closed) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        flush();
        closed = true;
        thread.interrupt();
    }
}
