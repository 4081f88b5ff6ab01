package dev.agentdeck.metrics;

import dev.agentdeck.core.Usage;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures agents' process trees cheaply: the members of each tree are found by the engine's periodic full
 * scan ({@link #refresh}); each sample then reads only those processes' {@code /proc/PID/stat}
 * (about 15 µs each), so sampling costs grow with the agents' processes, not with the machine's.
 */
final class TreeSampler {
    private record CpuMark(long startTicks, long cpuTicks, long nanos) {
    }

    private final ProcessTable table;
    private final Map<String, Map<Long, Long>> members = new ConcurrentHashMap<>();
    private final Map<Long, CpuMark> marks = new HashMap<>();

    TreeSampler(ProcessTable table) {
        this.table = table;
    }

    /** Recomputes tree membership from a full scan (on the monitor's thread). */
    void refresh(ProcSnapshot snap, List<MetricsSampler.Target> targets) {
        Map<String, Map<Long, Long>> next = new HashMap<>();
        for (MetricsSampler.Target t : targets) {
            Map<Long, Long> m = new HashMap<>();
            for (ProcInfo p : snap.treeOf(t.pid(), t.startTicks(), t.leadsGroup()).values()) {
                m.put(p.pid(), p.startTicks());
            }
            next.put(t.agentId(), Map.copyOf(m));
        }
        members.keySet().retainAll(next.keySet());
        members.putAll(next);
    }

    /** One sample of an agent's tree, or null when its main process is gone. Called on the sampler's thread. */
    Usage sample(MetricsSampler.Target t, long nowNanos) {
        Map<Long, Long> tree = members.getOrDefault(t.agentId(), Map.of());
        if (!tree.containsKey(t.pid())) {
            tree = new HashMap<>(tree);
            tree.put(t.pid(), t.startTicks());
        }
        double cpu = 0;
        long rss = 0;
        int threads = 0;
        int alive = 0;
        boolean mainAlive = false;
        for (var e : tree.entrySet()) {
            ProcInfo p = table.read(e.getKey()).orElse(null);
            if (p == null || p.zombie() || (e.getValue() >= 0 && p.startTicks() != e.getValue())) {
                marks.remove(e.getKey());
                continue;
            }
            alive++;
            mainAlive |= p.pid() == t.pid();
            rss += p.rssBytes();
            threads += p.threads();
            CpuMark prev = marks.get(p.pid());
            if (prev != null && prev.startTicks() == p.startTicks() && nowNanos > prev.nanos()) {
                double seconds = (nowNanos - prev.nanos()) / 1e9;
                cpu += (p.cpuTicks() - prev.cpuTicks()) / (double) table.ticksPerSecond() / seconds * 100.0;
            }
            marks.put(p.pid(), new CpuMark(p.startTicks(), p.cpuTicks(), nowNanos));
        }
        if (!mainAlive) {
            return null;
        }
        return new Usage(Math.max(0, cpu), rss, threads, alive - 1);
    }

    /** Forgets CPU marks of processes that no longer belong to any tree. */
    void prune() {
        java.util.Set<Long> live = new java.util.HashSet<>();
        members.values().forEach(m -> live.addAll(m.keySet()));
        marks.keySet().removeIf(pid -> !live.contains(pid));
    }
}
