package dev.agentdeck.api;

import com.sun.net.httpserver.HttpExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One server-sent-events connection: frames are queued without blocking (a full queue drops the client, so a
 * slow reader never stalls the engine) and written by the connection's own thread. Frames of events carry
 * their sequence number; the ones a replay already sent are skipped.
 */
final class SseClient {
    private static final Logger LOG = LoggerFactory.getLogger(SseClient.class);
    /** Frames a client may have waiting before it is dropped; the system property is for tests. */
    static final int QUEUE = 10_000;

    /** A frame to write; {@code seq} &gt; 0 for an engine event. */
    record Frame(long seq, String text) {
    }

    private static final Frame END = new Frame(-1, "");

    private final HttpExchange exchange;
    private final ArrayBlockingQueue<Frame> queue;
    private final Consumer<SseClient> onClose;
    private final String name;
    private volatile boolean closed;
    private volatile String dropReason;
    private volatile Thread writer;
    private final java.util.concurrent.atomic.AtomicBoolean exchangeClosed = new java.util.concurrent.atomic.AtomicBoolean();

    SseClient(HttpExchange exchange, String name, Consumer<SseClient> onClose) {
        this.exchange = exchange;
        this.name = name;
        this.onClose = onClose;
        this.queue = new ArrayBlockingQueue<>(Integer.getInteger("agentdeck.api.sseQueue", QUEUE));
    }

    /** Sends the headers and starts writing: first {@code replay} (skipping nothing), then queued frames. */
    void start(List<Frame> replay) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        Thread t = new Thread(() -> write(replay), "agentdeck-sse-" + name);
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    /** Queues a frame; false (and the client is dropped) when its queue is full. */
    boolean offer(Frame f) {
        if (closed) {
            return false;
        }
        if (!queue.offer(f)) {
            drop("it read too slowly (" + queue.size() + " frames waiting)");
            return false;
        }
        return true;
    }

    boolean closed() {
        return closed;
    }

    /** Ends the stream (server shutdown, or the source ended); the writer finishes what is queued first. */
    void end() {
        if (!queue.offer(END)) {
            drop("closing");
        }
    }

    void drop(String reason) {
        if (closed) {
            return;
        }
        dropReason = reason;
        closed = true;
        // Never block the caller (the engine's event thread): a writer stuck on a full socket is interrupted,
        // which closes the server's socket channel under it, and the exchange is closed on a thread of its own.
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
        Thread closer = new Thread(this::closeExchange, "agentdeck-sse-close-" + name);
        closer.setDaemon(true);
        closer.start();
    }

    /** Closes the exchange once: the writer and a drop may both try, and the exchange is not thread-safe. */
    private void closeExchange() {
        if (exchangeClosed.compareAndSet(false, true)) {
            exchange.close();
        }
    }

    private void write(List<Frame> replay) {
        long lastSeq = 0;
        try (OutputStream out = exchange.getResponseBody()) {
            for (Frame f : replay) {
                out.write(f.text.getBytes(StandardCharsets.UTF_8));
                lastSeq = Math.max(lastSeq, f.seq);
            }
            out.flush();
            while (!closed) {
                Frame f = queue.poll(20, TimeUnit.SECONDS);
                if (f == null) {
                    f = new Frame(0, ": keep-alive\n\n");
                }
                if (f == END) {
                    break;
                }
                if (f.seq > 0 && f.seq <= lastSeq) {
                    continue;
                }
                lastSeq = Math.max(lastSeq, f.seq);
                out.write(f.text.getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (dropReason != null && !dropReason.equals("closing")) {
                LOG.info("event stream {} dropped: {}", name, dropReason);
            }
            closed = true;
            closeExchange();
            onClose.accept(this);
        }
    }
}
