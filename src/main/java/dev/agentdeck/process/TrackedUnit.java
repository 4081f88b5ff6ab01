package dev.agentdeck.process;

import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A run's processes as the engine has seen them, where no cgroup can be made: every process of the run's tree
 * is recorded (PID and start ticks) when a scan first shows it, so one that later calls {@code setsid}, clears
 * its environment and loses its parent is still known. Entries whose process ended are dropped.
 */
final class TrackedUnit implements RunUnit {
    private final Map<Long, Long> seen = new ConcurrentHashMap<>();

    @Override
    public void addMembers(ProcSnapshot snap, ProcessTable table, Map<Long, ProcInfo> members) {
        for (Iterator<Map.Entry<Long, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            ProcInfo p = snap.get(e.getKey()).orElse(null);
            if (p == null || p.startTicks() != e.getValue() || p.zombie()) {
                it.remove(); // gone, or its PID now names another process
            } else {
                members.putIfAbsent(p.pid(), p);
            }
        }
    }

    @Override
    public void record(Map<Long, ProcInfo> tree) {
        for (ProcInfo p : tree.values()) {
            seen.put(p.pid(), p.startTicks());
        }
    }

    /** How many processes are recorded (for tests and the status of a stop). */
    int recorded() {
        return seen.size();
    }

    @Override
    public boolean killAll() {
        return false;
    }

    @Override
    public void release() {
        seen.clear();
    }

    @Override
    public Path cgroup() {
        return null;
    }
}
