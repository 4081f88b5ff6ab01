package dev.agentdeck.process;

import dev.agentdeck.core.Signal;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;
import dev.agentdeck.os.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * Stops whole process trees: the stop signal goes to the agent's process group at once; then, on each
 * monitor tick, every process of the tree is found (group members, descendants, and orphans re-parented to
 * us that carry the agent's id in their environment), newcomers are signalled too, and at the timeout
 * everything left gets KILL. A stop completes when no process of the tree runs.
 */
final class TreeStopper implements ProcessMonitor.ScanListener {
    private static final Logger LOG = LoggerFactory.getLogger(TreeStopper.class);
    private static final long KILL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ProcessMonitor monitor;
    private final ProcessTable table;
    private final String dataDir;
    private final LongPredicate managedLeader;
    private final long self = Signals.selfPid();
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Map<Long, OwnerCache> owners = new HashMap<>();

    private static final class Pending {
        final StopTarget target;
        final Signal signal;
        final boolean continueAfter;
        final long startedNanos = System.nanoTime();
        final long deadlineNanos;
        final CompletableFuture<StopReport> future = new CompletableFuture<>();
        final Map<Long, Long> known = new LinkedHashMap<>();
        volatile boolean forceRequested;
        boolean escalated;
        long hardDeadlineNanos;

        Pending(StopTarget target, Signal signal, long timeoutMs, boolean continueAfter) {
            this.target = target;
            this.signal = signal;
            this.continueAfter = continueAfter;
            this.deadlineNanos = startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        }
    }

    private record OwnerCache(long startTicks, String agentId) {
    }

    /**
     * @param dataDir       the workspace's data folder, as agents carry it in AGENTDECK_DATA_DIR
     * @param managedLeader true for PIDs that are the main process of a live run (never taken for orphans)
     */
    TreeStopper(ProcessMonitor monitor, String dataDir, LongPredicate managedLeader) {
        this.monitor = monitor;
        this.table = monitor.table();
        this.dataDir = dataDir;
        this.managedLeader = managedLeader;
    }

    /**
     * Stops the tree of {@code target}: {@code signal} now, KILL after {@code timeoutMs}.
     *
     * @param continueAfter also send CONT, for a paused tree that must wake to handle the signal
     */
    CompletableFuture<StopReport> stop(StopTarget target, Signal signal, long timeoutMs, boolean continueAfter) {
        Pending p = new Pending(target, signal, timeoutMs, continueAfter);
        if (signal == Signal.KILL) {
            p.escalated = true;
            p.hardDeadlineNanos = p.startedNanos + KILL_GRACE_NANOS;
        }
        // The first signal goes out now, without waiting for a scan.
        signalMain(target, signal);
        if (continueAfter) {
            signalMain(target, Signal.CONT);
        }
        incoming.add(p);
        monitor.wake();
        return p.future;
    }

    /** Turns a graceful stop in progress into a KILL now (the user asked to kill while it was stopping). */
    void forceNow(long pid) {
        for (Pending p : incoming) {
            if (p.target.pid() == pid) {
                p.forceRequested = true;
            }
        }
        synchronized (pending) {
            for (Pending p : pending) {
                if (p.target.pid() == pid) {
                    p.forceRequested = true;
                }
            }
        }
        monitor.wake();
    }

    @Override
    public boolean busy() {
        synchronized (pending) {
            return !pending.isEmpty() || !incoming.isEmpty();
        }
    }

    @Override
    public void onScan(ProcSnapshot snap) {
        synchronized (pending) {
            for (Pending p; (p = incoming.poll()) != null; ) {
                pending.add(p);
            }
            if (pending.isEmpty()) {
                owners.clear();
                return;
            }
            long now = System.nanoTime();
            Map<String, List<ProcInfo>> orphans = orphansByAgent(snap);
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                if (evaluate(it.next(), snap, orphans, now)) {
                    it.remove();
                }
            }
        }
    }

    /** Returns true when the stop is finished. */
    private boolean evaluate(Pending p, ProcSnapshot snap, Map<String, List<ProcInfo>> orphans, long now) {
        Map<Long, ProcInfo> members = members(p, snap, orphans);
        for (ProcInfo m : members.values()) {
            if (p.known.putIfAbsent(m.pid(), m.startTicks()) == null && !coveredByGroupSignal(p, m)) {
                signal(m, p.escalated ? Signal.KILL : p.signal);
                if (p.continueAfter) {
                    signal(m, Signal.CONT);
                }
            }
        }
        if (members.isEmpty()) {
            p.future.complete(new StopReport(p.escalated, p.known.size(), List.of(), elapsedMs(p, now)));
            return true;
        }
        if (!p.escalated && (now >= p.deadlineNanos || p.forceRequested)) {
            p.escalated = true;
            p.hardDeadlineNanos = now + KILL_GRACE_NANOS;
            if (p.target.leadsGroup()) {
                signalGroup(p.target.pid(), Signal.KILL);
            }
            members.values().forEach(m -> signal(m, Signal.KILL));
            LOG.debug("agent {}: {} process(es) still running after the stop timeout; sent KILL", p.target.agentId(), members.size());
            return false;
        }
        if (p.escalated && now >= p.hardDeadlineNanos) {
            List<Long> survivors = List.copyOf(members.keySet());
            LOG.warn("agent {}: processes survived KILL: {}", p.target.agentId(), survivors);
            p.future.complete(new StopReport(true, p.known.size(), survivors, elapsedMs(p, now)));
            return true;
        }
        return false;
    }

    private Map<Long, ProcInfo> members(Pending p, ProcSnapshot snap, Map<String, List<ProcInfo>> orphans) {
        StopTarget t = p.target;
        Map<Long, ProcInfo> members = snap.treeOf(t.pid(), t.startTicks(), t.leadsGroup());
        for (var k : p.known.entrySet()) {
            snap.get(k.getKey()).filter(i -> i.startTicks() == k.getValue() && !i.zombie()).ifPresent(i -> members.put(i.pid(), i));
        }
        for (ProcInfo o : orphans.getOrDefault(t.agentId(), List.of())) {
            if (o.startTicks() >= t.startTicks()) {
                members.put(o.pid(), o);
            }
        }
        snap.addDescendants(members);
        return members;
    }

    /**
     * Processes re-parented to this JVM (we are a subreaper) that are not the main process of a live run,
     * grouped by the agent id in their environment. Environments are read once per process and cached.
     */
    private Map<String, List<ProcInfo>> orphansByAgent(ProcSnapshot snap) {
        Map<String, List<ProcInfo>> out = new HashMap<>();
        Map<Long, OwnerCache> seen = new HashMap<>();
        for (ProcInfo c : snap.childrenOf(self)) {
            if (c.zombie() || managedLeader.test(c.pid())) {
                continue;
            }
            OwnerCache cached = owners.get(c.pid());
            if (cached == null || cached.startTicks() != c.startTicks()) {
                String dir = table.environmentVariable(c.pid(), LaunchPlanner.DATA_DIR_ENV).orElse(null);
                String agent = dataDir.equals(dir) ? table.environmentVariable(c.pid(), LaunchPlanner.AGENT_ID_ENV).orElse("") : "";
                cached = new OwnerCache(c.startTicks(), agent);
            }
            seen.put(c.pid(), cached);
            if (!cached.agentId().isEmpty()) {
                out.computeIfAbsent(cached.agentId(), k -> new ArrayList<>()).add(c);
            }
        }
        owners.clear();
        owners.putAll(seen);
        return out;
    }

    private static boolean coveredByGroupSignal(Pending p, ProcInfo m) {
        return p.target.leadsGroup() && m.pgid() == p.target.pid();
    }

    private static long elapsedMs(Pending p, long now) {
        return TimeUnit.NANOSECONDS.toMillis(now - p.startedNanos);
    }

    private static void signalMain(StopTarget t, Signal s) {
        if (t.leadsGroup()) {
            signalGroup(t.pid(), s);
        } else {
            try {
                Signals.send(t.pid(), s);
            } catch (SecurityException e) {
                LOG.warn("agent {}: {}", t.agentId(), e.getMessage());
            }
        }
    }

    private static void signalGroup(long pgid, Signal s) {
        try {
            Signals.sendGroup(pgid, s);
        } catch (SecurityException e) {
            LOG.warn("group {}: {}", pgid, e.getMessage());
        }
    }

    private static void signal(ProcInfo m, Signal s) {
        try {
            Signals.send(m.pid(), s);
        } catch (SecurityException e) {
            LOG.warn("PID {}: {}", m.pid(), e.getMessage());
        }
    }
}
