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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * Stops whole process trees: the stop signal goes to the agent's process group at once; then, on each
 * monitor tick, every process of the tree is found (group members, descendants, and processes that left the
 * tree but carry the agent's identity in their environment), newcomers are signalled too, and at the timeout
 * everything left gets KILL. A stop completes when no process of the tree runs.
 *
 * <p>A process that left the tree (a daemon that double-forked) is re-parented to this JVM when it is the
 * subreaper, but to PID 1 or another subreaper when it escaped while no engine ran. Either way it is found
 * the same way, on Linux: a process of this user, started at or after the run (start ticks, so a recycled
 * PID never matches), in no tree, whose environment carries the agent's AGENTDECK_AGENT_ID and this
 * workspace's AGENTDECK_DATA_DIR. All stops in progress share each tick's one snapshot; environments are
 * read only for processes that pass the cheap filters, once per process (cached by PID and start ticks).
 */
final class TreeStopper implements ProcessMonitor.ScanListener {
    private static final Logger LOG = LoggerFactory.getLogger(TreeStopper.class);
    private static final long KILL_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ProcessMonitor monitor;
    private final ProcessTable table;
    private final ProcessOwners attribution;
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
        final Map<Long, StopReport.Escaped> escaped = new LinkedHashMap<>();
        /** Every process of the run seen during the stop, with its program's name, for the events. */
        final Map<Long, StopReport.Escaped> seen = new LinkedHashMap<>();
        volatile boolean forceRequested;
        boolean escalated;
        long hardDeadlineNanos;
        boolean toldFound;
        /** The main process has ended (and may be reaped): nothing is signalled by its PID or its group's id. */
        final boolean mainGone;
        /** Told once, with what was found, when the first scan shows something to stop; or null. */
        final java.util.function.Consumer<List<StopReport.Escaped>> onFound;

        Pending(StopTarget target, Signal signal, long timeoutMs, boolean continueAfter, boolean mainGone,
                java.util.function.Consumer<List<StopReport.Escaped>> onFound) {
            this.target = target;
            this.signal = signal;
            this.continueAfter = continueAfter;
            this.deadlineNanos = startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            this.mainGone = mainGone;
            this.onFound = onFound;
        }
    }

    private record OwnerCache(long startTicks, String agentId) {
    }

    /**
     * @param attribution   tells which agent a process that left every tree belongs to
     * @param managedLeader true for PIDs that are the main process of a live run (never taken, nor anything of
     *                      its tree, for a process that left another tree)
     */
    TreeStopper(ProcessMonitor monitor, ProcessOwners attribution, LongPredicate managedLeader) {
        this.monitor = monitor;
        this.table = monitor.table();
        this.attribution = attribution;
        this.managedLeader = managedLeader;
    }

    /**
     * Stops the tree of {@code target}: {@code signal} now, KILL after {@code timeoutMs}.
     *
     * @param continueAfter also send CONT, for a paused tree that must wake to handle the signal
     */
    CompletableFuture<StopReport> stop(StopTarget target, Signal signal, long timeoutMs, boolean continueAfter) {
        Pending p = new Pending(target, signal, timeoutMs, continueAfter, false, null);
        if (signal == Signal.KILL) {
            p.escalated = true;
            p.hardDeadlineNanos = p.startedNanos + KILL_GRACE_NANOS;
        }
        // The first signal goes out now, without waiting for a scan.
        signalMain(target, signal);
        if (continueAfter) {
            signalMain(target, Signal.CONT);
        }
        return enqueue(p);
    }

    /**
     * Stops what a run left behind once its main process ended: every member the next scans show gets
     * {@code signal}, KILL after {@code timeoutMs}. Nothing is signalled by the main process's PID or its group's
     * id, which may name someone else's process by now. Completes at once (one scan) when nothing is left.
     *
     * @param onFound told once, on the monitor's thread, with what was found, when there is something to stop
     */
    CompletableFuture<StopReport> stopLeftovers(StopTarget target, Signal signal, long timeoutMs,
                                                java.util.function.Consumer<List<StopReport.Escaped>> onFound) {
        return enqueue(new Pending(target, signal, timeoutMs, false, true, onFound));
    }

    private CompletableFuture<StopReport> enqueue(Pending p) {
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
            Map<Pending, Map<Long, ProcInfo>> trees = new IdentityHashMap<>();
            Set<Long> inTrees = new HashSet<>();
            for (Pending p : pending) {
                Map<Long, ProcInfo> tree = tree(p, snap);
                trees.put(p, tree);
                inTrees.addAll(tree.keySet());
            }
            Map<String, List<ProcInfo>> escaped = escapedByAgent(snap, inTrees);
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                Map<Long, ProcInfo> members = trees.get(p);
                addEscaped(p, members, escaped.getOrDefault(p.target.agentId(), List.of()), snap);
                if (evaluate(p, members, now)) {
                    it.remove();
                }
            }
        }
    }

    /** Returns true when the stop is finished. */
    private boolean evaluate(Pending p, Map<Long, ProcInfo> members, long now) {
        for (ProcInfo m : members.values()) {
            if (p.known.putIfAbsent(m.pid(), m.startTicks()) == null) {
                p.seen.put(m.pid(), new StopReport.Escaped(m.pid(), programName(m.pid())));
                if (!coveredByGroupSignal(p, m)) {
                    signal(m, p.escalated ? Signal.KILL : p.signal);
                    if (p.continueAfter) {
                        signal(m, Signal.CONT);
                    }
                }
            }
        }
        if (members.isEmpty()) {
            p.future.complete(report(p, false, List.of(), now));
            return true;
        }
        if (p.onFound != null && !p.toldFound) {
            p.toldFound = true;
            p.onFound.accept(List.copyOf(p.seen.values()));
        }
        if (!p.escalated && (now >= p.deadlineNanos || p.forceRequested)) {
            p.escalated = true;
            p.hardDeadlineNanos = now + KILL_GRACE_NANOS;
            if (p.target.leadsGroup() && !p.mainGone) {
                signalGroup(p.target.pid(), Signal.KILL);
            }
            members.values().forEach(m -> signal(m, Signal.KILL));
            p.target.unit().killAll(); // the last step: every member of a cgroup at once, even one forked just now
            LOG.debug("agent {}: {} process(es) still running after the stop timeout; sent KILL", p.target.agentId(), members.size());
            return false;
        }
        if (p.escalated && now >= p.hardDeadlineNanos) {
            List<Long> survivors = List.copyOf(members.keySet());
            LOG.warn("agent {}: processes survived KILL: {}", p.target.agentId(), survivors);
            p.future.complete(report(p, true, survivors, now));
            return true;
        }
        return false;
    }

    private static StopReport report(Pending p, boolean gaveUp, List<Long> survivors, long now) {
        return new StopReport(p.escalated || gaveUp, p.known.size(), survivors, elapsedMs(p, now), List.copyOf(p.escaped.values()),
                List.copyOf(p.seen.values()));
    }

    /** The live processes of the run: its members ({@link StopTarget#members}), what was seen of it before, and their descendants. */
    private Map<Long, ProcInfo> tree(Pending p, ProcSnapshot snap) {
        Map<Long, ProcInfo> tree = p.target.tree(snap);
        Map<Long, ProcInfo> members = p.target.members(snap, table, tree);
        for (ProcInfo m : members.values()) {
            if (!tree.containsKey(m.pid())) {
                noteEscaped(p, m, "its run's unit");
            }
        }
        for (var k : p.known.entrySet()) {
            snap.get(k.getKey()).filter(i -> i.startTicks() == k.getValue() && !i.zombie()).ifPresent(i -> members.put(i.pid(), i));
        }
        snap.addDescendants(members);
        return members;
    }

    /** Notes a process of the run found outside its tree (a daemon that double-forked), once. */
    private void noteEscaped(Pending p, ProcInfo e, String foundBy) {
        if (!p.escaped.containsKey(e.pid())) {
            p.escaped.put(e.pid(), new StopReport.Escaped(e.pid(), programName(e.pid())));
            LOG.info("agent {}: PID {} had left the tree (parent {}; found by {}); stopping it with the tree",
                    p.target.agentId(), e.pid(), e.ppid(), foundBy);
        }
    }

    /** Adds the agent's processes that left the tree (started at or after the run), noting the new ones. */
    private void addEscaped(Pending p, Map<Long, ProcInfo> members, List<ProcInfo> escaped, ProcSnapshot snap) {
        if (escaped.isEmpty() || p.target.startTicks() < 0) {
            return;
        }
        boolean added = false;
        for (ProcInfo e : escaped) {
            if (e.startTicks() >= p.target.startTicks() && members.putIfAbsent(e.pid(), e) == null) {
                added = true;
                noteEscaped(p, e, "its environment or log files");
            }
        }
        if (added) {
            snap.addDescendants(members);
        }
    }

    /**
     * Processes in no tree being stopped that carry an agent's identity (its id, and this workspace's data
     * folder) in their environment, by agent id: wherever they were re-parented (this JVM as subreaper, PID 1,
     * another subreaper). Cheap filters first (not a zombie, not us, started no earlier than the oldest run
     * being stopped, in no tree, this user's); then the environment, read once per process and cached by PID
     * and start ticks for as long as stops are in progress. Linux only: elsewhere environments are not read.
     */
    private Map<String, List<ProcInfo>> escapedByAgent(ProcSnapshot snap, Set<Long> inTrees) {
        long oldest = Long.MAX_VALUE;
        for (Pending p : pending) {
            if (p.target.startTicks() >= 0) {
                oldest = Math.min(oldest, p.target.startTicks());
            }
        }
        if (!table.readsEnvironments() || oldest == Long.MAX_VALUE) {
            owners.clear();
            return Map.of();
        }
        Map<String, List<ProcInfo>> out = new HashMap<>();
        Map<Long, OwnerCache> seen = new HashMap<>();
        for (ProcInfo c : snap.all()) {
            if (c.zombie() || c.pid() == self || c.startTicks() < oldest || inTrees.contains(c.pid())) {
                continue;
            }
            OwnerCache cached = owners.get(c.pid());
            if (cached == null || cached.startTicks() != c.startTicks()) {
                cached = new OwnerCache(c.startTicks(), attribution.agentOf(c.pid()));
            }
            seen.put(c.pid(), cached);
            if (!cached.agentId().isEmpty() && !inLiveRun(c, snap)) {
                out.computeIfAbsent(cached.agentId(), k -> new ArrayList<>()).add(c);
            }
        }
        owners.clear();
        owners.putAll(seen);
        return out;
    }



    /**
     * True when the process belongs to a live run not being stopped (a new run of the same agent, started while
     * an old tree's leftovers are stopped): it is the main process of one, in its group, or below it.
     */
    private boolean inLiveRun(ProcInfo c, ProcSnapshot snap) {
        ProcInfo at = c;
        for (int depth = 0; at != null && depth < 128; depth++) {
            if (managedLeader.test(at.pid()) || managedLeader.test(at.pgid())) {
                return true;
            }
            if (at.ppid() <= 1 || at.ppid() == self) {
                return false;
            }
            at = snap.get(at.ppid()).orElse(null);
        }
        return false;
    }

    /** The base name of the program a process runs (argv[0]), or "" when unreadable. */
    private String programName(long pid) {
        return table.commandLine(pid).filter(a -> !a.isEmpty()).map(a -> {
            String arg0 = a.get(0);
            return arg0.substring(arg0.lastIndexOf('/') + 1);
        }).orElse("");
    }

    private static boolean coveredByGroupSignal(Pending p, ProcInfo m) {
        return p.target.leadsGroup() && !p.mainGone && m.pgid() == p.target.pid();
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
