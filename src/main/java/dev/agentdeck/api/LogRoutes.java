package dev.agentdeck.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.logs.LogTail;
import dev.agentdeck.process.ProcessService;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent's log over the API: the last lines ({@code ?lines=&level=}) read back from its files, and with
 * {@code ?follow=true} the new ones as server-sent events ({@code data: {"stream", "level", "text"}}).
 */
final class LogRoutes implements AutoCloseable {
    static final int MAX_LINES = 10_000;
    private static final long POLL_MS = 200;
    private final ProcessService engine;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-api-logs");
        t.setDaemon(true);
        return t;
    });
    private final List<Stream> streams = new CopyOnWriteArrayList<>();

    /** One followed log: its client and the follower feeding it. */
    private final class Stream {
        volatile SseClient client;
        volatile AutoCloseable follower;

        void stop() {
            streams.remove(this);
            AutoCloseable f = follower;
            if (f != null) {
                try {
                    f.close();
                } catch (Exception e) {
                    // a follower that fails to close has nothing more to send
                }
            }
        }
    }
    private final AtomicInteger names = new AtomicInteger();

    LogRoutes(ProcessService engine) {
        this.engine = engine;
    }

    /** The level parameter: error, warn, info or debug (that level and more severe), or null for all lines. */
    static LogLevel level(ApiRequest r) {
        String v = r.query("level");
        if (v == null) {
            return null;
        }
        String up = v.trim().toUpperCase(Locale.ROOT);
        if (up.equals("WARNING")) {
            up = "WARN";
        }
        try {
            LogLevel l = LogLevel.valueOf(up);
            if (l != LogLevel.NONE) {
                return l;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiError.badRequest("query parameter level=" + v + " must be error, warn, info or debug");
    }

    List<LogLine> tail(String id, int lines, LogLevel level) {
        try {
            return LogTail.last(engine.logs(), id, lines, level);
        } catch (IOException e) {
            throw new ApiError(500, "io", "the log of \"" + id + "\" cannot be read: " + e.getMessage(), List.of());
        }
    }

    /** Spawn API form: {@code {"id", "lines": [{"stream", "level", "text"}], "files": {...}}}. */
    Reply spawnLogs(ApiRequest r, String id) throws IOException {
        int lines = r.intQuery("lines", 100, 1, MAX_LINES);
        LogLevel level = level(r);
        if (r.boolQuery("follow", false)) {
            return follow(r, id, lines, level);
        }
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("id", id);
        ArrayNode out = data.putArray("lines");
        tail(id, lines, level).forEach(l -> out.add(Views.line(l)));
        ObjectNode files = data.putObject("files");
        engine.logs().file(id, LogStream.OUT).ifPresent(f -> files.put("out", f.toString()));
        engine.logs().file(id, LogStream.ERR).ifPresent(f -> files.put("err", f.toString()));
        return Reply.ok(data);
    }

    private Reply follow(ApiRequest r, String id, int lines, LogLevel level) throws IOException {
        LogSource logs = engine.logs();
        LogSource.Offsets ends = logs.ends(id);
        // the backlog ends where following starts, so no line is sent twice or skipped
        List<LogLine> backlog = LogTail.before(logs, id, ends, lines, level);
        List<SseClient.Frame> replay = new ArrayList<>();
        replay.add(new SseClient.Frame(0, "retry: 2000\n\n"));
        backlog.forEach(l -> replay.add(frame(l)));
        // Everything is registered before the writer starts, so a client that is already gone still stops
        // its follower, and close() reaches every stream.
        var stream = new Stream();
        SseClient client = new SseClient(r.exchange(), "logs-" + id + "-" + names.incrementAndGet(), c -> stream.stop());
        stream.client = client;
        streams.add(stream);
        stream.follower = logs.follow(id, ends, (batch, at) -> {
            for (LogLine l : batch) {
                if (LogTail.passes(l.level(), level) && !client.offer(frame(l))) {
                    return;
                }
            }
        }, timer, POLL_MS);
        try {
            client.start(replay);
        } catch (IOException | RuntimeException e) {
            stream.stop();
            throw e;
        }
        return Reply.STREAMING;
    }

    int streamCount() {
        return streams.size();
    }

    private static SseClient.Frame frame(LogLine l) {
        return new SseClient.Frame(0, "data: " + Json.compact(Views.line(l)) + "\n\n");
    }

    @Override
    public void close() {
        for (Stream s : streams) {
            s.stop();
            if (s.client != null) {
                s.client.end();
            }
        }
        timer.shutdownNow();
    }
}
