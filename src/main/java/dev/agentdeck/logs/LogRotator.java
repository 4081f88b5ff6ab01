package dev.agentdeck.logs;

import dev.agentdeck.config.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps agents' log files bounded: a file past {@code maxBytes} is copied to {@code <file>.1} and truncated in
 * place (copy-truncate), so an agent that holds it open in append mode simply goes on writing at the start.
 * Older parts move to {@code .2.gz} ... {@code .<keep>.gz}. A file is checked more often the faster it
 * grows and the closer it is to the limit (every 50 ms to every second; one that did not grow after 100 ms, then
 * twice as long each time it still did not, up to a second); the checker sleeps until the next file is due, looks for newly started agents once a second,
 * and at once when told an agent started.
 * <p>
 * Disk use stays bounded whatever an agent writes: while a rotation is still shifting and compressing the older
 * parts, the live file is watched every 50 ms, and one that passes the limit again before the rotation is done
 * is truncated without a copy (its bytes are dropped, and a marker line says how many), so a flood of
 * ~10 MB/s leaves the live file at most the limit plus ~50 ms of writing.
 */
public final class LogRotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRotator.class);
    static final long MIN_CHECK_MS = 50;
    /**
     * The longest a file goes unchecked: a quiet file may start to flood at any moment, and until the next check it
     * grows unseen (at 10 MB/s, 10 MB in this second). A check is one stat, so even 200 agents' files cost ~400 a second.
     */
    static final long MAX_CHECK_MS = 1_000;
    static final long MAX_SLEEP_MS = 1_000;
    /** A file whose growth rate is not known yet (just seen, or just rotated) is checked again this soon. */
    static final long UNKNOWN_RATE_CHECK_MS = 100;
    /** After a rotation failed (a full disk), the file is tried again this much later, not at every check. */
    static final long RETRY_AFTER_FAILURE_MS = 1_000;

    private final AgentLogs logs;
    private final Problems problems;
    private final long maxBytes;
    private final int keep;
    private final Executor background;
    private final Supplier<Set<String>> active;
    private final Map<String, Watch[]> watches = new HashMap<>();
    private final ScheduledExecutorService timer;
    private ScheduledFuture<?> task;
    private boolean closed;
    private long rotations;
    private long droppedBytes;

    private static final class Watch {
        final Path file;
        final java.io.File asFile;
        long size;
        long atMs;
        long nextCheckMs;
        boolean rotating;
        /** The rotation in progress has copied and truncated the live file (it is shifting the older parts). */
        boolean truncated;
        /** How long to wait after a check that saw no growth; doubles while the file stays quiet. */
        long quietMs = UNKNOWN_RATE_CHECK_MS;
        /** Bytes dropped while the last rotation was still running (not yet noted in the file). */
        long dropped;
        /** The agent whose log this is. */
        final String agentId;
        /** A rotation of this file failed and nothing has rotated it since (reported once). */
        boolean failing;

        Watch(String agentId, Path file) {
            this.agentId = agentId;
            this.file = file;
            this.asFile = file.toFile();
        }
    }

    /** Hears that rotating an agent's log failed, and that it works again: once each, not at every retry. */
    @FunctionalInterface
    public interface Problems {
        void report(String agentId, String message);
    }

    /**
     * @param active the ids of agents whose logs may grow (those with a process)
     */
    public LogRotator(AgentLogs logs, long maxBytes, int keep, ScheduledExecutorService timer, Executor background,
                      Supplier<Set<String>> active) {
        this(logs, maxBytes, keep, timer, background, active, (id, message) -> { });
    }

    /**
     * @param active   the ids of agents whose logs may grow (those with a process)
     * @param problems told when a rotation fails (a full disk) and when rotating that file works again
     */
    public LogRotator(AgentLogs logs, long maxBytes, int keep, ScheduledExecutorService timer, Executor background,
                      Supplier<Set<String>> active, Problems problems) {
        this.problems = problems;
        this.logs = logs;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.background = background;
        this.active = active;
        this.timer = timer;
        this.task = timer.schedule(this::check, MAX_SLEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Checks soon (an agent just started: it may flood from its first second). */
    public synchronized void checkSoon() {
        if (!closed && task.getDelay(TimeUnit.MILLISECONDS) > MIN_CHECK_MS) {
            task.cancel(false);
            task = timer.schedule(this::check, MIN_CHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    public synchronized long rotations() {
        return rotations;
    }

    /** Bytes dropped in all because agents wrote faster than their logs could be rotated. */
    public synchronized long droppedBytes() {
        return droppedBytes;
    }

    private synchronized void check() {
        if (closed) {
            return;
        }
        try {
            checkFiles();
        } catch (RuntimeException e) {
            LOG.error("checking log sizes failed", e);
            task = timer.schedule(this::check, MAX_SLEEP_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void checkFiles() {
        long now = System.currentTimeMillis();
        long nextDue = now + MAX_SLEEP_MS;
        Set<String> ids = active.get();
        watches.keySet().retainAll(ids);
        for (String id : ids) {
            Watch[] pair = watches.computeIfAbsent(id, k -> new Watch[]{new Watch(k, logs.out(k)), new Watch(k, logs.err(k))});
            for (Watch w : pair) {
                nextDue = Math.min(nextDue, checkOne(w, now));
            }
        }
        task = timer.schedule(this::check, Math.max(MIN_CHECK_MS, nextDue - now), TimeUnit.MILLISECONDS);
    }

    /** Checks one file if it is due; returns when it wants to be checked next. */
    private long checkOne(Watch w, long now) {
        if (w.rotating) {
            if (w.truncated) { // never while it still copies: the copy would be cut short
                dropIfPastLimit(w);
            }
            return now + MIN_CHECK_MS;
        }
        if (now < w.nextCheckMs) {
            return w.nextCheckMs;
        }
        long size = w.asFile.length(); // one stat, no attribute objects: this runs for every agent's logs
        if (size > maxBytes) {
            w.rotating = true;
            w.truncated = false;
            background.execute(() -> rotate(w.file, w));
            return now + MIN_CHECK_MS;
        }
        double rate = w.atMs > 0 && now > w.atMs ? Math.max(0, size - w.size) / (double) (now - w.atMs) : 0;
        long wait;
        if (rate > 0) {
            wait = Math.min(MAX_CHECK_MS, (long) ((maxBytes - size) / rate / 2));
            w.quietMs = UNKNOWN_RATE_CHECK_MS;
        } else {
            // A quiet file may start to flood at any moment (an agent still starting up): back off gradually,
            // so a flood that begins after a quiet spell is seen within about that spell again.
            wait = w.quietMs;
            w.quietMs = Math.min(2 * w.quietMs, MAX_CHECK_MS);
        }
        w.size = size;
        w.atMs = now;
        w.nextCheckMs = wait >= MAX_CHECK_MS
                // quiet files share one wake a second (on the second), not one wake each at its own phase
                ? (now / MAX_CHECK_MS + 1) * MAX_CHECK_MS
                : now + Math.max(MIN_CHECK_MS, wait);
        return w.nextCheckMs;
    }

    /**
     * Rotates one file now: copies what it holds to a fresh part and truncates it at once (bytes the agent
     * writes in between are the one gap copy-truncate has), then shifts and compresses the older parts.
     */
    public void rotate(Path file) throws IOException {
        rotate(file, () -> {
        });
    }

    /** Rotates; {@code truncated} runs once the live file is empty again, before the older parts are shifted. */
    private void rotate(Path file, Runnable truncated) throws IOException {
        Path fresh = file.resolveSibling(file.getFileName() + ".rotating");
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (keep >= 1) {
                try (FileChannel out = PrivateFiles.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    long copied = copy(in, out, 0, in.size());
                    copy(in, out, copied, in.size()); // what arrived during the first pass
                } catch (IOException e) {
                    // a partial copy (a full disk) would hold the very space that is missing; the log is kept whole
                    Files.deleteIfExists(fresh);
                    throw e;
                }
            }
            in.truncate(0);
        }
        truncated.run();
        for (int i = keep; i >= 2; i--) {
            Path older = part(file, i, true);
            if (i == keep) {
                Files.deleteIfExists(older);
            } else if (Files.exists(older)) {
                Files.move(older, part(file, i + 1, true), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path first = part(file, 1, false);
        if (Files.exists(first)) {
            if (keep >= 2) {
                gzip(first, part(file, 2, true));
            }
            Files.delete(first);
        }
        if (keep >= 1) {
            Files.move(fresh, first, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies bytes [from, to) and returns where it stopped; never chases a file that keeps growing. */
    private static long copy(FileChannel in, FileChannel out, long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            long n = in.transferTo(at, to - at, out);
            if (n <= 0) {
                break;
            }
            at += n;
        }
        return at;
    }

    private void rotate(Path file, Watch w) {
        long[] truncatedAt = {0};
        boolean failed = false;
        try {
            rotate(file, () -> {
                truncatedAt[0] = System.currentTimeMillis();
                synchronized (this) {
                    w.truncated = true;
                }
            });
            boolean recovered;
            synchronized (this) {
                rotations++;
                recovered = w.failing;
                w.failing = false;
            }
            if (recovered) {
                LOG.info("{} is rotated again", file);
                problems.report(w.agentId, "log rotation works again: " + file + " was rotated");
            }
        } catch (IOException e) {
            failed = true;
            boolean first;
            synchronized (this) {
                first = !w.failing;
                w.failing = true;
            }
            if (first) {
                String why = reason(e);
                LOG.warn("could not rotate {}: {}", file, why);
                problems.report(w.agentId, "could not rotate " + file + ": " + why + "; the log keeps growing past "
                        + maxBytes + " bytes until it can be rotated; AgentDeck retries and says when it works again");
            }
        } finally {
            synchronized (this) {
                w.rotating = false;
                w.truncated = false;
                // the rate since the truncation is known at the next check, so a flood is not lost sight of
                w.size = 0;
                w.atMs = truncatedAt[0];
                w.nextCheckMs = failed ? System.currentTimeMillis() + RETRY_AFTER_FAILURE_MS : 0;
                w.quietMs = UNKNOWN_RATE_CHECK_MS;
                if (w.dropped > 0) {
                    String note = AgentLogs.MARKER + "dropped " + w.dropped
                            + " bytes: the agent wrote faster than its log could be rotated\n";
                    try {
                        PrivateFiles.append(w.file, note.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        LOG.warn("could not note dropped bytes in {}: {}", w.file, e.toString());
                    }
                    w.dropped = 0;
                }
            }
        }
    }

    /**
     * Called while a rotation of the file is still running: when the agent has already written past the limit
     * again, the file is truncated in place without a copy, so the disk stays bounded. Holds the lock.
     */
    private void dropIfPastLimit(Watch w) {
        if (w.asFile.length() <= maxBytes) {
            return;
        }
        try (FileChannel ch = FileChannel.open(w.file, StandardOpenOption.WRITE)) {
            long size = ch.size();
            ch.truncate(0);
            w.dropped += size;
            droppedBytes += size;
            LOG.debug("dropped {} bytes of {}: still rotating it", size, w.file);
        } catch (IOException e) {
            LOG.warn("could not truncate {}: {}", w.file, e.toString());
        }
    }

    /** An I/O failure in words: a full disk says so plainly. */
    static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("No space left on device")) {
            return "no space left on the device";
        }
        return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : m;
    }

    static Path part(Path file, int n, boolean gz) {
        return file.resolveSibling(file.getFileName() + "." + n + (gz ? ".gz" : ""));
    }

    private static void gzip(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from);
             OutputStream out = new GZIPOutputStream(PrivateFiles.newOutputStream(to, false), 64 * 1024)) {
            in.transferTo(out);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        task.cancel(false);
    }
}
