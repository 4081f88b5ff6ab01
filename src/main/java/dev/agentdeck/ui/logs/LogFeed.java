package dev.agentdeck.ui.logs;

import dev.agentdeck.logs.BacklogOrder;
import dev.agentdeck.logs.LineRing;
import dev.agentdeck.logs.LogFileReader;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.logs.LogTail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lines of some agents' logs for one log pane, without JavaFX: the last lines of each file first
 * (the backlog), then new lines as they are written, handed to the UI executor at most every
 * {@link #DELIVERY_MS} in one batch, and older lines read back from the files on request. What the UI has not
 * taken yet is bounded: past {@code maxPending} lines the oldest are dropped and counted.
 */
public final class LogFeed implements AutoCloseable {
    static final long POLL_MS = 50;
    static final long DELIVERY_MS = 100;
    /** How soon a tail that could not be read is tried again. */
    static final long RETRY_MS = 2_000;

    /** Receives the feed's output on the UI executor. */
    public interface Listener {
        /** The tail of the files, replacing whatever was shown (at start and after {@link #reload()}). */
        void onBacklog(List<LogLine> lines);

        /** New lines in arrival order; {@code dropped} lines were lost before these because the UI fell behind. */
        void onLines(List<LogLine> lines, long dropped);
    }

    private final LogSource logs;
    private final List<String> agentIds;
    private final int backlogLines;
    private final int maxPending;
    private final ScheduledExecutorService timer;
    private final Executor ui;
    private volatile Listener listener;
    private final Object lock = new Object();
    private final LineRing<LogLine> pending;
    private final List<AutoCloseable> followers = new ArrayList<>();
    /** Per agent, the offsets of the oldest line loaded from stdout and stderr (index 2i and 2i+1). */
    private long[] oldest;
    private boolean deliveryScheduled;
    private boolean closed;
    private int generation;

    public LogFeed(LogSource logs, List<String> agentIds, int backlogLines, int maxPending,
                   ScheduledExecutorService timer, Executor ui) {
        this.logs = logs;
        this.agentIds = List.copyOf(agentIds);
        this.backlogLines = backlogLines;
        this.maxPending = maxPending;
        this.pending = new LineRing<>(maxPending);
        this.timer = timer;
        this.ui = ui;
    }

    public List<String> agentIds() {
        return agentIds;
    }

    /** Loads the backlog and starts following, reporting to {@code listener}; call once. */
    public void start(Listener listener) {
        this.listener = listener;
        reload();
    }

    /** Drops what is pending, reads the tail of the files again and follows on from there. */
    public void reload() {
        timer.execute(this::loadTail);
    }

    private void loadTail() {
        int gen;
        List<AutoCloseable> old;
        synchronized (lock) {
            if (closed) {
                return;
            }
            old = new ArrayList<>(followers);
            followers.clear();
            pending.clear();
            gen = ++generation;
        }
        closeAll(old); // outside the lock: close() waits for a delivery, which takes the lock
        long[] ends = new long[agentIds.size() * 2];
        for (int i = 0; i < agentIds.size(); i++) {
            try {
                LogSource.Offsets o = logs.ends(agentIds.get(i));
                ends[2 * i] = o.out();
                ends[2 * i + 1] = o.err();
            } catch (IOException e) {
                // The engine cannot be reached (attached) or the file not read: following from 0 would replay the
                // whole log, so try the whole tail again a little later.
                timer.schedule(() -> {
                    if (isCurrent(gen)) {
                        reload();
                    }
                }, RETRY_MS, TimeUnit.MILLISECONDS);
                return;
            }
        }
        long[] starts = ends.clone();
        List<LogLine> backlog = readBefore(starts, backlogLines);
        synchronized (lock) {
            if (closed || gen != generation) {
                return;
            }
            oldest = starts;
            for (int i = 0; i < agentIds.size(); i++) {
                String id = agentIds.get(i);
                followers.add(logs.follow(id, new LogSource.Offsets(ends[2 * i], ends[2 * i + 1]),
                        (lines, at) -> arrived(gen, lines), timer, POLL_MS));
            }
        }
        ui.execute(() -> {
            if (isCurrent(gen)) {
                listener.onBacklog(backlog);
            }
        });
    }

    private static void closeAll(List<AutoCloseable> handles) {
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                // nothing more will come from it
            }
        }
    }

    /**
     * Reads up to {@code maxLines} lines of each file from before {@code offsets[k]}, moves each offset back
     * to where what was read starts, and returns the lines of all files in one order.
     */
    private List<LogLine> readBefore(long[] offsets, int maxLines) {
        List<List<LogLine>> parts = new ArrayList<>();
        for (int k = 0; k < offsets.length; k++) {
            String id = agentIds.get(k / 2);
            LogStream stream = k % 2 == 0 ? LogStream.OUT : LogStream.ERR;
            try {
                LogFileReader.Chunk chunk = logs.linesBefore(id, stream, offsets[k], maxLines);
                offsets[k] = chunk.startOffset();
                parts.add(LogTail.tag(id, stream, chunk.lines()));
            } catch (IOException e) {
                // the file went away (rotated or removed) or the engine cannot be reached: nothing to show from it
            }
        }
        return BacklogOrder.merge(parts);
    }

    private boolean isCurrent(int gen) {
        synchronized (lock) {
            return !closed && gen == generation;
        }
    }

    private void arrived(int gen, List<LogLine> lines) {
        synchronized (lock) {
            if (closed || gen != generation) {
                return;
            }
            pending.addAll(lines);
            if (!deliveryScheduled) {
                deliveryScheduled = true;
                timer.schedule(() -> ui.execute(() -> deliver(gen)), DELIVERY_MS, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void deliver(int gen) {
        List<LogLine> batch;
        long lost;
        synchronized (lock) {
            deliveryScheduled = false;
            if (closed || gen != generation || pending.size() == 0) {
                return;
            }
            batch = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                batch.add(pending.get(i));
            }
            lost = pending.dropped();
            pending.clear();
        }
        listener.onLines(batch, lost);
    }

    /**
     * Reads up to {@code maxLines} lines per file from before the oldest loaded ones (off the UI thread);
     * the future completes with them oldest first, empty when the files have no more.
     */
    public CompletableFuture<List<LogLine>> older(int maxLines) {
        CompletableFuture<List<LogLine>> result = new CompletableFuture<>();
        timer.execute(() -> {
            try {
                result.complete(readOlder(maxLines));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private List<LogLine> readOlder(int maxLines) {
        long[] from;
        synchronized (lock) {
            if (oldest == null) {
                return List.of();
            }
            from = oldest.clone();
        }
        List<LogLine> lines = readBefore(from, maxLines);
        synchronized (lock) {
            oldest = from;
        }
        return lines;
    }

    /** Whether lines older than those loaded remain in the files. */
    public boolean hasOlder() {
        synchronized (lock) {
            if (oldest == null) {
                return false;
            }
            for (long o : oldest) {
                if (o > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The log files on this machine this feed reads, stdout then stderr per agent (none when attached). */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        agentIds.forEach(id -> {
            logs.file(id, LogStream.OUT).ifPresent(files::add);
            logs.file(id, LogStream.ERR).ifPresent(files::add);
        });
        return files;
    }

    @Override
    public void close() {
        List<AutoCloseable> old;
        synchronized (lock) {
            closed = true;
            old = new ArrayList<>(followers);
            followers.clear();
            pending.clear();
        }
        closeAll(old); // outside the lock: close() waits for a delivery, which takes the lock
    }
}
