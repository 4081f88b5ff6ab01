package dev.agentdeck.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Follows log files from given offsets until a line matches a pattern (an agent's {@code readyLogLine}),
 * then reports that line once and stops. Polls every {@code pollMs} only while it waits.
 */
public final class LineMatcher implements AutoCloseable {
    private static final int MAX_READ = 1 << 20;
    private final Pattern pattern;
    private final Consumer<String> onMatch;
    private final List<Tail> tails = new ArrayList<>();
    private final ScheduledFuture<?> task;
    private volatile boolean done;

    private static final class Tail {
        final Path file;
        long offset;
        StringBuilder partial = new StringBuilder();

        Tail(Path file, long offset) {
            this.file = file;
            this.offset = offset;
        }
    }

    public LineMatcher(Pattern pattern, List<Path> files, List<Long> offsets, ScheduledExecutorService timer, long pollMs,
                       Consumer<String> onMatch) {
        this.pattern = pattern;
        this.onMatch = onMatch;
        for (int i = 0; i < files.size(); i++) {
            tails.add(new Tail(files.get(i), offsets.get(i)));
        }
        this.task = timer.scheduleWithFixedDelay(this::poll, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void poll() {
        if (done) {
            return;
        }
        for (Tail t : tails) {
            String line = read(t);
            if (line != null) {
                done = true;
                task.cancel(false);
                onMatch.accept(line);
                return;
            }
        }
    }

    /** Reads what was appended since the last poll; returns the first matching line, if any. */
    private String read(Tail t) {
        try (RandomAccessFile raf = new RandomAccessFile(t.file.toFile(), "r")) {
            long len = raf.length();
            if (len < t.offset) {
                t.offset = 0; // rotated (truncated): start over
                t.partial.setLength(0);
            }
            if (len == t.offset) {
                return null;
            }
            byte[] buf = new byte[(int) Math.min(MAX_READ, len - t.offset)];
            raf.seek(t.offset);
            raf.readFully(buf);
            t.offset += buf.length;
            t.partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = t.partial.indexOf("\n")) >= 0) {
                String line = t.partial.substring(0, nl);
                t.partial.delete(0, nl + 1);
                if (pattern.matcher(line).find()) {
                    return line;
                }
            }
            if (t.partial.length() > MAX_READ) {
                t.partial.setLength(0); // a "line" of a megabyte without newline is not a ready line
            }
            return null;
        } catch (IOException e) {
            return null; // the file does not exist yet
        }
    }

    @Override
    public void close() {
        done = true;
        task.cancel(false);
    }
}
