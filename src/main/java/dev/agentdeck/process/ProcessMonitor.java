package dev.agentdeck.process;

import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's one process-table scanner: one scan per tick serves every listener (stops in progress,
 * the orphan reaper, metrics), instead of one scan per agent. Ticks come every {@code busyMs} while a
 * listener is busy (a stop is waiting for processes to go) and every {@code idleMs} otherwise.
 */
final class ProcessMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessMonitor.class);

    /** Gets every snapshot; {@link #busy()} asks for fast ticks. Called on the monitor's thread. */
    interface ScanListener {
        void onScan(ProcSnapshot snapshot);

        default boolean busy() {
            return false;
        }
    }

    private final ProcessTable table;
    private final long idleMs;
    private final long busyMs;
    private final List<ScanListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private boolean woken;
    private long requestedNanos = Long.MAX_VALUE;
    private volatile boolean closed;
    private volatile long scans;

    ProcessMonitor(ProcessTable table, long idleMs, long busyMs, String name) {
        this.table = table;
        this.idleMs = idleMs;
        this.busyMs = busyMs;
        this.thread = new Thread(this::loop, "agentdeck-monitor-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    ProcessTable table() {
        return table;
    }

    void addListener(ScanListener l) {
        listeners.add(l);
    }

    /** Asks for a scan as soon as possible. */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a scan within {@code ms} (requests coalesce: many starts cost one scan). */
    void scanWithin(long ms) {
        lock.lock();
        try {
            long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            if (at < requestedNanos) {
                requestedNanos = at;
                wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    long scans() {
        return scans;
    }

    private void loop() {
        while (!closed) {
            try {
                ProcSnapshot snap = table.scan();
                scans++;
                for (ScanListener l : listeners) {
                    try {
                        l.onScan(snap);
                    } catch (RuntimeException e) {
                        LOG.error("a scan listener failed", e);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("the process table could not be scanned", e);
            }
            boolean busy = listeners.stream().anyMatch(ScanListener::busy);
            await(busy ? busyMs : idleMs, busy);
        }
    }

    private void await(long ms, boolean busy) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            // While busy, a wake-up does not cut the tick short: one scan per tick is the point.
            while (!closed && (busy || !woken)) {
                long nanos = Math.min(deadline, requestedNanos) - System.nanoTime();
                if (nanos <= 0) {
                    break;
                }
                wake.awaitNanos(nanos);
            }
            woken = false;
            requestedNanos = Long.MAX_VALUE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        thread.interrupt();
    }
}
