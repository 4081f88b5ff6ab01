package dev.agentdeck.process;

import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.Signals;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * As a child subreaper, the engine inherits the orphaned descendants of its agents, and must reap them when
 * they end, or they stay zombies. The JVM reaps the processes it started itself within milliseconds, so a
 * child that has been a zombie for several seconds is an orphan nobody else waits for: reap it.
 */
final class OrphanReaper implements ProcessMonitor.ScanListener {
    private static final long UNCLAIMED_NANOS = TimeUnit.SECONDS.toNanos(5);
    private final long self = Signals.selfPid();
    private final Map<Long, Long> zombieSince = new HashMap<>();
    private final java.util.function.LongConsumer scanWithinMs;
    private long reaped;

    /** @param scanWithinMs asks the monitor for a scan within that many ms (its idle scans are a minute apart) */
    OrphanReaper(java.util.function.LongConsumer scanWithinMs) {
        this.scanWithinMs = scanWithinMs;
    }

    @Override
    public void onScan(ProcSnapshot snap) {
        long now = System.nanoTime();
        Map<Long, Long> still = new HashMap<>();
        for (ProcInfo c : snap.childrenOf(self)) {
            if (!c.zombie()) {
                continue;
            }
            long since = zombieSince.getOrDefault(c.pid(), now);
            if (now - since >= UNCLAIMED_NANOS && Signals.reap(c.pid())) {
                reaped++;
            } else {
                still.put(c.pid(), since);
            }
        }
        zombieSince.clear();
        zombieSince.putAll(still);
        // come back when the oldest zombie waiting here may be reaped, not at the next idle scan
        still.values().stream().mapToLong(Long::longValue).min().ifPresent(oldest -> scanWithinMs.accept(
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(oldest + UNCLAIMED_NANOS - now)) + 100));
    }

    long reaped() {
        return reaped;
    }
}
