package dev.agentdeck.api;

import dev.agentdeck.config.Json;
import dev.agentdeck.logs.LogFileReader;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.process.ProcessService;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent's logs by byte offset, for a remote panel's log panes: {@code /ends}, {@code /chunk} (lines before an
 * offset, for the backlog and paging back) and {@code /follow} (new lines as server-sent events whose id is
 * {@code out:err}, the offsets after them, so a reconnect with {@code Last-Event-ID} goes on where it stopped).
 */
final class WireLogs implements AutoCloseable {
    private static final long POLL_MS = 100;
    private final ProcessService engine;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-api-wirelogs");
        t.setDaemon(true);
        return t;
    });
    private final List<AutoCloseable> followers = new CopyOnWriteArrayList<>();
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    WireLogs(ProcessService engine) {
        this.engine = engine;
    }

    void register(Router r) {
        r.now("GET", "/api/deck/logs/{id}/ends", q -> Reply.wire(engine.logs().ends(known(q))));
        r.now("GET", "/api/deck/logs/{id}/chunk", q -> {
            String id = known(q);
            LogStream stream = switch (String.valueOf(q.query("stream"))) {
                case "out" -> LogStream.OUT;
                case "err" -> LogStream.ERR;
                default -> throw ApiError.badRequest("query parameter stream must be out or err");
            };
            long before = q.longQuery("before", Long.MAX_VALUE, 0, Long.MAX_VALUE);
            LogFileReader.Chunk c = engine.logs().linesBefore(id, stream, before, q.intQuery("lines", 500, 0, 100_000));
            return Reply.wire(c);
        });
        r.add("GET", "/api/deck/logs/{id}/follow", q -> CompletableFuture.completedFuture(follow(q)));
    }

    private String known(ApiRequest q) {
        String id = q.path("id");
        if (engine.status(id).isEmpty()) {
            throw ApiError.notFound("no agent \"" + id + "\"");
        }
        return id;
    }

    private Reply follow(ApiRequest q) throws IOException {
        String id = known(q);
        String last = q.header("Last-Event-ID");
        LogSource.Offsets from;
        if (last != null && !last.isBlank()) {
            String[] parts = last.trim().split(":");
            try {
                from = new LogSource.Offsets(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            } catch (RuntimeException e) {
                throw ApiError.badRequest("Last-Event-ID \"" + last + "\" must be two offsets, out:err");
            }
        } else {
            from = new LogSource.Offsets(q.longQuery("out", 0, 0, Long.MAX_VALUE), q.longQuery("err", 0, 0, Long.MAX_VALUE));
        }
        AutoCloseable[] follower = new AutoCloseable[1];
        SseClient client = new SseClient(q.exchange(), "wirelogs-" + id + "-" + names.incrementAndGet(), c -> {
            clients.remove(c);
            stop(follower[0]);
        });
        clients.add(client);
        follower[0] = engine.logs().follow(id, from, (batch, at) -> client.offer(new SseClient.Frame(0,
                "id: " + at.out() + ":" + at.err() + "\ndata: " + Json.compact(batch.stream().map(l -> Map.of(
                "s", l.stream() == LogStream.OUT ? "out" : "err", "l", l.level().name(), "t", l.text())).toList()) + "\n\n")), timer, POLL_MS);
        followers.add(follower[0]);
        try {
            client.start(List.of(new SseClient.Frame(0, "retry: 1000\n\n")));
        } catch (IOException | RuntimeException e) {
            clients.remove(client);
            stop(follower[0]);
            throw e;
        }
        return Reply.STREAMING;
    }

    private void stop(AutoCloseable f) {
        if (f != null) {
            followers.remove(f);
            try {
                f.close();
            } catch (Exception e) {
                // nothing more will come from it
            }
        }
    }

    int streamCount() {
        return clients.size();
    }

    @Override
    public void close() {
        followers.forEach(this::stop);
        clients.forEach(SseClient::end);
        timer.shutdownNow();
    }
}
