package dev.agentdeck.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Json;
import dev.agentdeck.logs.LogFileReader;
import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.logs.LogStream;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Agents' logs read through the engine's API ({@code /api/deck/logs/...}): the same offsets as the files on the
 * engine's machine, so paging back and following work as they do locally. A followed log that drops reconnects
 * with the offsets it reached and goes on without a gap.
 */
final class RemoteLogSource implements LogSource, AutoCloseable {
    private static final long RETRY_MS = 1_000;
    private final ApiClient api;
    private final List<Follow> follows = new CopyOnWriteArrayList<>();

    RemoteLogSource(ApiClient api) {
        this.api = api;
    }

    @Override
    public Offsets ends(String agentId) throws IOException {
        JsonNode d = get("/api/deck/logs/" + RemoteEngine.enc(agentId) + "/ends");
        return new Offsets(d.path("out").asLong(), d.path("err").asLong());
    }

    @Override
    public LogFileReader.Chunk linesBefore(String agentId, LogStream stream, long end, int maxLines) throws IOException {
        JsonNode d = get("/api/deck/logs/" + RemoteEngine.enc(agentId) + "/chunk?stream="
                + (stream == LogStream.OUT ? "out" : "err") + "&before=" + Math.max(0, end) + "&lines=" + Math.max(0, maxLines));
        return Json.WIRE.treeToValue(d, LogFileReader.Chunk.class);
    }

    private JsonNode get(String path) throws IOException {
        try {
            return api.get(path).path("data");
        } catch (CtlException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public AutoCloseable follow(String agentId, Offsets from, Sink sink, ScheduledExecutorService timer, long pollMs) {
        Follow f = new Follow(agentId, from, sink);
        follows.add(f);
        f.thread.start();
        return f;
    }

    @Override
    public Optional<Path> file(String agentId, LogStream stream) {
        return Optional.empty();
    }

    @Override
    public void close() {
        follows.forEach(Follow::close);
    }

    /** One followed log: a thread reading its event stream, reconnecting from where it got to. */
    private final class Follow implements AutoCloseable {
        final Thread thread;
        volatile boolean closed;
        volatile Closeable body;
        volatile Offsets at;

        Follow(String agentId, Offsets from, Sink sink) {
            this.at = from;
            this.thread = new Thread(() -> run(agentId, sink), "agentdeck-remote-log-" + agentId);
            thread.setDaemon(true);
        }

        private void run(String agentId, Sink sink) {
            String path = "/api/deck/logs/" + RemoteEngine.enc(agentId) + "/follow";
            while (!closed) {
                try {
                    api.stream(path, at.out() + ":" + at.err(), ev -> {
                        if (closed) {
                            return false;
                        }
                        if (ev.id() != null && !ev.data().isEmpty()) {
                            deliver(agentId, ev, sink);
                        }
                        return !closed;
                    }, b -> body = b);
                } catch (CtlException e) {
                    if (e.status() == 404) {
                        return; // the agent is gone from the engine
                    }
                }
                if (!closed) {
                    try {
                        Thread.sleep(RETRY_MS); // a reconnect pause on this follower's own thread
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private void deliver(String agentId, ApiClient.SseEvent ev, Sink sink) {
            try {
                List<LogLine> lines = new ArrayList<>();
                for (JsonNode l : Json.MAPPER.readTree(ev.data())) {
                    lines.add(new LogLine(agentId, l.path("s").asText().equals("err") ? LogStream.ERR : LogStream.OUT,
                            LogLevel.valueOf(l.path("l").asText("NONE")), l.path("t").asText()));
                }
                String[] parts = ev.id().split(":");
                Offsets next = new Offsets(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                at = next;
                sink.accept(lines, next);
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RemoteLogSource.class).warn("a log frame could not be read: {}", e.toString());
            }
        }

        @Override
        public void close() {
            closed = true;
            follows.remove(this);
            Closeable b = body;
            if (b != null) {
                try {
                    b.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            thread.interrupt();
        }
    }
}
