package dev.agentdeck.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows an agent's two log files and delivers new whole lines in the order they were seen: both files are
 * read in the same poll, so a line seen in an earlier poll comes earlier (within one poll, stdout first).
 * Reads at most {@link #MAX_READ} per file per poll, so a flood cannot starve the others; holds a partial
 * line until its newline (or until it passes {@link LogFileReader#MAX_LINE}); starts over from 0 when a file
 * shrinks (rotated by copy-truncate); waits for a file that does not exist yet. Delivers on the scheduler's
 * thread, one list per poll, never an empty one.
 */
public final class LogFollower implements AutoCloseable {
    static final int MAX_READ = 4 << 20;

    private final String agentId;
    private final Consumer<List<LogLine>> sink;
    private final Tail[] tails;
    private final ScheduledFuture<?> task;
    private volatile boolean closed;
    private volatile long lines;
    private volatile long bytes;

    private static final class Tail {
        final Path file;
        final LogStream stream;
        final LevelTracker levels = new LevelTracker();
        volatile long offset;
        byte[] partial = new byte[0];
        ByteBuffer buf;

        Tail(Path file, LogStream stream, long offset) {
            this.file = file;
            this.stream = stream;
            this.offset = offset;
        }
    }

    public LogFollower(String agentId, Path out, Path err, long outFrom, long errFrom, ScheduledExecutorService timer,
                       long pollMs, Consumer<List<LogLine>> sink) {
        this.agentId = agentId;
        this.sink = sink;
        this.tails = new Tail[]{new Tail(out, LogStream.OUT, outFrom), new Tail(err, LogStream.ERR, errFrom)};
        this.task = timer.scheduleWithFixedDelay(this::poll, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void poll() {
        if (closed) {
            return;
        }
        List<LogLine> got = new ArrayList<>();
        for (Tail t : tails) {
            try {
                read(t, got);
            } catch (IOException e) {
                // unreadable for now (being rotated, permissions): try again next poll
            }
        }
        if (!got.isEmpty() && !closed) {
            lines += got.size();
            sink.accept(got);
        }
    }

    private void read(Tail t, List<LogLine> got) throws IOException {
        try (FileChannel ch = FileChannel.open(t.file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < t.offset) {
                t.offset = 0;
                t.partial = new byte[0];
            }
            if (size == t.offset) {
                return;
            }
            int want = (int) Math.min(MAX_READ, size - t.offset);
            if (t.buf == null || t.buf.capacity() < want) {
                t.buf = ByteBuffer.allocate(Math.max(want, 64 * 1024));
            }
            ByteBuffer buf = t.buf.clear().limit(want);
            while (buf.hasRemaining() && ch.read(buf, t.offset + buf.position()) > 0) {
                // keep reading until the slice is full or the file ends
            }
            int n = buf.position();
            t.offset += n;
            bytes += n;
            split(t, buf.array(), n, got);
        } catch (NoSuchFileException e) {
            // not written yet
        }
    }

    private void split(Tail t, byte[] data, int n, List<LogLine> got) {
        int from = 0;
        for (int i = 0; i < n; i++) {
            if (data[i] == '\n') {
                emit(t, join(t.partial, data, from, i), got);
                t.partial = new byte[0];
                from = i + 1;
            }
        }
        if (from < n) {
            t.partial = join(t.partial, data, from, n);
            if (t.partial.length > LogFileReader.MAX_LINE) {
                emit(t, t.partial, got, "\u2026");
                t.partial = new byte[0];
            }
        }
    }

    private static byte[] join(byte[] head, byte[] data, int from, int to) {
        byte[] all = new byte[head.length + to - from];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, from, all, head.length, to - from);
        return all;
    }

    private void emit(Tail t, byte[] line, List<LogLine> got) {
        emit(t, line, got, "");
    }

    private void emit(Tail t, byte[] line, List<LogLine> got, String suffix) {
        int len = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        String text = new String(line, 0, len, StandardCharsets.UTF_8) + suffix;
        LogLevel level = text.startsWith(AgentLogs.MARKER) ? LogLevel.NONE : t.levels.levelOf(text);
        got.add(new LogLine(agentId, text.startsWith(AgentLogs.MARKER) ? LogStream.OUT : t.stream, level, text));
    }

    public long outOffset() {
        return tails[0].offset;
    }

    public long errOffset() {
        return tails[1].offset;
    }

    public long linesDelivered() {
        return lines;
    }

    public long bytesRead() {
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
        task.cancel(false);
    }
}
