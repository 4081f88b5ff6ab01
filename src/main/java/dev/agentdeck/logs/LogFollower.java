package dev.agentdeck.logs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows an agent's two log files from given offsets and delivers new whole lines in arrival order: both files
 * are polled in the same pass, so a line seen earlier is delivered earlier; within one poll the two files'
 * lines cannot be ordered and come stdout first. Stderr lines are marked {@link LogStream#ERR}; levels come from
 * a {@link LevelTracker} per stream. Marker lines ({@link AgentLogs#MARKER}) of the out log are delivered as
 * OUT with level NONE, text unchanged, and start level tracking afresh.
 *
 * <p>Polls every {@code pollMs} on the given scheduler and delivers to the sink on that thread, one non-empty
 * list per poll. Reads at most {@value #MAX_READ_PER_POLL} bytes per file per poll, so a flood cannot starve
 * the scheduler's other work. A partial line is held until its newline; a line longer than 64 KiB is delivered
 * cut to 64 KiB with a trailing {@code '…'} (as {@link LogFileReader} shows it) and its rest skipped. A file
 * that shrank, was replaced, or no longer has a newline just before the read position (truncated and refilled
 * between two polls) is followed from 0 again; a missing file is waited for. Files are opened per poll, so
 * nothing is held open between polls.
 */
public final class LogFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);
    static final int MAX_READ_PER_POLL = 4 << 20;
    private static final int READ_BLOCK = 256 * 1024;

    private final String agentId;
    private final Source out;
    private final Source err;
    private final LogSource.Sink sink;
    private final Object deliveryLock = new Object();
    private final ScheduledFuture<?> task;
    private ByteBuffer block; // one per follower: polls never overlap
    private volatile boolean closed;
    private volatile long linesDelivered;
    private volatile long bytesRead;

    /** One followed file: where it is read and the line it has begun. */
    private static final class Source {
        final Path path;
        final LogStream stream;
        final LevelTracker tracker = new LevelTracker();
        volatile long offset;
        Object fileKey;
        boolean readSome; // this follower read up to offset itself, so a '\n' must precede it
        byte[] partial;
        int partialLength;
        boolean skipping; // the rest of an overlong line, up to its newline

        Source(Path path, LogStream stream, long offset) {
            this.path = path;
            this.stream = stream;
            this.offset = Math.max(0, offset);
        }

        void restart() {
            offset = 0;
            readSome = false;
            partialLength = 0;
            skipping = false;
            tracker.reset();
        }
    }

    public LogFollower(String agentId, Path out, Path err, long outFrom, long errFrom, ScheduledExecutorService timer,
                       long pollMs, Consumer<List<LogLine>> sink) {
        this(agentId, out, err, outFrom, errFrom, timer, pollMs, (LogSource.Sink) (lines, at) -> sink.accept(lines));
    }

    /** As above, telling the sink with each batch where following would resume after it. */
    public LogFollower(String agentId, Path out, Path err, long outFrom, long errFrom, ScheduledExecutorService timer,
                       long pollMs, LogSource.Sink sink) {
        this.agentId = Objects.requireNonNull(agentId);
        this.out = new Source(out, LogStream.OUT, outFrom);
        this.err = new Source(err, LogStream.ERR, errFrom);
        this.sink = Objects.requireNonNull(sink);
        this.task = timer.scheduleWithFixedDelay(this::poll, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    /** The current read position in the out log. */
    public long outOffset() {
        return out.offset;
    }

    /** The current read position in the err log. */
    public long errOffset() {
        return err.offset;
    }

    /** Where the delivered lines end: the read positions less any partial line held back. */
    public LogSource.Offsets resumeAt() {
        return new LogSource.Offsets(out.offset - (out.skipping ? 0 : out.partialLength),
                err.offset - (err.skipping ? 0 : err.partialLength));
    }

    public long linesDelivered() {
        return linesDelivered;
    }

    public long bytesRead() {
        return bytesRead;
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            List<LogLine> batch = new ArrayList<>();
            read(out, batch);
            read(err, batch);
            if (batch.isEmpty()) {
                return;
            }
            synchronized (deliveryLock) {
                if (!closed) {
                    sink.accept(batch, resumeAt());
                    linesDelivered += batch.size();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("following the logs of {} failed in one poll", agentId, e); // keep polling: a thrown task is never run again
        }
    }

    private void read(Source s, List<LogLine> batch) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(s.path, BasicFileAttributes.class);
        } catch (IOException e) {
            return; // not there (yet)
        }
        Object key = attrs.fileKey();
        if (s.fileKey != null && key != null && !key.equals(s.fileKey)) {
            s.restart(); // deleted and created anew
        }
        s.fileKey = key;
        if (attrs.size() < s.offset) {
            s.restart(); // truncated (copy-truncate rotation)
        }
        if (attrs.size() == s.offset) {
            return;
        }
        try (FileChannel ch = FileChannel.open(s.path, StandardOpenOption.READ)) {
            if (s.readSome && s.offset > 0 && s.partialLength == 0 && !s.skipping && !newlineBefore(ch, s.offset)) {
                s.restart();
            }
            readFrom(ch, s, batch);
        } catch (IOException e) {
            LOG.debug("could not read {}: {}", s.path, e.toString());
        }
    }

    private static boolean newlineBefore(FileChannel ch, long offset) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return ch.read(one, offset - 1) == 1 && one.get(0) == '\n';
    }

    private void readFrom(FileChannel ch, Source s, List<LogLine> batch) throws IOException {
        if (block == null) {
            block = ByteBuffer.allocate(READ_BLOCK);
        }
        long pos = s.offset;
        long budget = MAX_READ_PER_POLL;
        while (budget > 0) {
            block.clear().limit((int) Math.min(READ_BLOCK, budget));
            int n = ch.read(block, pos);
            if (n <= 0) {
                break;
            }
            pos += n;
            budget -= n;
            bytesRead += n;
            split(s, block.array(), n, batch);
            s.offset = pos;
            s.readSome = true;
        }
    }

    /** Turns bytes [0, n) into lines, joining the held partial line and holding the new one. */
    private void split(Source s, byte[] b, int n, List<LogLine> batch) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (b[i] != '\n') {
                continue;
            }
            if (s.skipping) {
                s.skipping = false;
            } else if (s.partialLength == 0) {
                emit(s, b, start, i - start, batch);
            } else {
                hold(s, b, start, i - start, batch);
                if (!s.skipping) {
                    emit(s, s.partial, 0, s.partialLength, batch);
                }
                s.partialLength = 0;
                s.skipping = false;
            }
            start = i + 1;
        }
        if (start < n && !s.skipping) {
            hold(s, b, start, n - start, batch);
        }
    }

    /** Adds bytes to the partial line; once it passes 64 KiB it is delivered cut and its rest skipped. */
    private void hold(Source s, byte[] b, int from, int len, List<LogLine> batch) {
        int max = LogFileReader.MAX_LINE;
        if (s.partial == null) {
            s.partial = new byte[max + 4];
        }
        int room = s.partial.length - s.partialLength;
        int copied = Math.min(room, len);
        System.arraycopy(b, from, s.partial, s.partialLength, copied);
        s.partialLength += copied;
        if (s.partialLength > max) {
            add(s, LogFileReader.cut(s.partial, 0, s.partialLength), batch);
            s.partialLength = 0;
            s.skipping = true;
        }
    }

    private void emit(Source s, byte[] b, int from, int len, List<LogLine> batch) {
        String text = len > LogFileReader.MAX_LINE ? LogFileReader.cut(b, from, len) : LogFileReader.text(b, from, from + len);
        add(s, text, batch);
    }

    private void add(Source s, String text, List<LogLine> batch) {
        if (s.stream == LogStream.OUT && text.startsWith(AgentLogs.MARKER)) {
            s.tracker.reset();
            batch.add(new LogLine(agentId, LogStream.OUT, LogLevel.NONE, text));
        } else {
            batch.add(new LogLine(agentId, s.stream, s.tracker.levelOf(text), text));
        }
    }

    /** Stops polling; once this returns, the sink is not called again (an ongoing delivery is waited for). */
    @Override
    public void close() {
        synchronized (deliveryLock) {
            closed = true;
        }
        task.cancel(false);
    }
}
