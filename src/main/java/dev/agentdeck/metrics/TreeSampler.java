package dev.agentdeck.metrics;

import dev.agentdeck.core.Usage;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcStat;
import dev.agentdeck.os.ProcessTable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures agents' process trees cheaply: the members of each tree are found by the engine's periodic full
 * scan ({@link #refresh}); the sampler keeps each member's stat open and re-reads it (one {@code pread},
 * about 8 µs), so sampling grows with the agents' processes, not with the machine's, and a handle never
 * reads a process that merely reuses a member's PID.
 */
final class TreeSampler {
    private record Key(long pid, long startTicks) {
    }

    private static final class Member {
        final ProcStat stat;
        long cpuTicks = -1;
        long nanos;

        Member(ProcStat stat) {
            this.stat = stat;
        }
    }

    private final ProcessTable table;
    /** Tree membership by agent, written by the monitor's thread on each full scan. */
    private final Map<String, Set<Key>> trees = new ConcurrentHashMap<>();
    /** Open handles, used by the sampler's thread only. */
    private final Map<Key, Member> open = new HashMap<>();

    TreeSampler(ProcessTable table) {
        this.table = table;
    }

    /** Recomputes tree membership from a full scan (on the monitor's thread). */
    void refresh(ProcSnapshot snap, List<MetricsSampler.Target> targets) {
        Map<String, Set<Key>> next = new HashMap<>();
        for (MetricsSampler.Target t : targets) {
            Set<Key> keys = new HashSet<>();
            for (ProcInfo p : t.members().apply(snap)) {
                keys.add(new Key(p.pid(), p.startTicks()));
            }
            next.put(t.agentId(), Set.copyOf(keys));
        }
        trees.keySet().retainAll(next.keySet());
        trees.putAll(next);
    }

    /** One sample of an agent's tree, or null when its main process is gone. Called on the sampler's thread. */
    Usage sample(MetricsSampler.Target t, long nowNanos) {
        Set<Key> tree = trees.get(t.agentId());
        Key main = new Key(t.pid(), t.startTicks());
        if (tree == null || !tree.contains(main)) {
            tree = tree == null ? Set.of(main) : with(tree, main);
            trees.put(t.agentId(), tree);
        }
        double cpu = 0;
        long rss = 0;
        int threads = 0;
        int alive = 0;
        boolean mainAlive = false;
        for (Key k : tree) {
            Member m = member(k);
            ProcInfo p = m == null ? null : m.stat.read();
            if (p == null || p.zombie()) {
                continue;
            }
            alive++;
            mainAlive |= p.pid() == t.pid();
            rss += p.rssBytes();
            threads += p.threads();
            if (m.cpuTicks >= 0 && nowNanos > m.nanos) {
                cpu += (p.cpuTicks() - m.cpuTicks) / (double) table.ticksPerSecond() / ((nowNanos - m.nanos) / 1e9) * 100.0;
            }
            m.cpuTicks = p.cpuTicks();
            m.nanos = nowNanos;
        }
        return mainAlive ? new Usage(Math.max(0, cpu), rss, threads, alive - 1) : null;
    }

    /** The open handle of a member, opened (and checked to be the same process) on first use. */
    private Member member(Key k) {
        Member m = open.get(k);
        if (m == null) {
            ProcStat stat = table.open(k.pid());
            ProcInfo first = stat.read();
            if (first == null || (k.startTicks() >= 0 && first.startTicks() != k.startTicks())) {
                stat.close(); // gone, or the PID already belongs to another process
                return null;
            }
            m = new Member(stat);
            open.put(k, m);
        }
        return m;
    }

    private static Set<Key> with(Set<Key> set, Key k) {
        Set<Key> copy = new HashSet<>(set);
        copy.add(k);
        return Set.copyOf(copy);
    }

    /** Closes the handles of processes that belong to no tree any more. */
    void prune() {
        Set<Key> live = new HashSet<>();
        trees.values().forEach(live::addAll);
        for (Iterator<Map.Entry<Key, Member>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Member> e = it.next();
            if (!live.contains(e.getKey())) {
                e.getValue().stat.close();
                it.remove();
            }
        }
    }

    /** Closes every handle. */
    void close() {
        open.values().forEach(m -> m.stat.close());
        open.clear();
    }
}
