package dev.agentdeck.os;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every process on the machine at one moment, from one scan, with the parent/child and group relations. */
public final class ProcSnapshot {
    private final Map<Long, ProcInfo> byPid;
    private final Map<Long, List<ProcInfo>> children = new HashMap<>();
    private final long takenAtNanos;
    /** Built on first use (volatile: a snapshot may be read by several listeners' threads). */
    private volatile Map<Long, List<ProcInfo>> byGroup;
    private volatile Map<Long, List<ProcInfo>> bySession;

    public ProcSnapshot(Collection<ProcInfo> processes, long takenAtNanos) {
        this.byPid = new HashMap<>(processes.size() * 2);
        for (ProcInfo p : processes) {
            byPid.put(p.pid(), p);
            children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        this.takenAtNanos = takenAtNanos;
    }

    public Optional<ProcInfo> get(long pid) {
        return Optional.ofNullable(byPid.get(pid));
    }

    public Collection<ProcInfo> all() {
        return byPid.values();
    }

    public int size() {
        return byPid.size();
    }

    public long takenAtNanos() {
        return takenAtNanos;
    }

    /** True when the process (same PID and start) exists and is not a zombie. */
    public boolean running(long pid, long startTicks) {
        ProcInfo p = byPid.get(pid);
        return p != null && p.startTicks() == startTicks && !p.zombie();
    }

    public List<ProcInfo> childrenOf(long pid) {
        return children.getOrDefault(pid, List.of());
    }

    /** All descendants of {@code pid} (not {@code pid} itself), breadth first. */
    public List<ProcInfo> descendantsOf(long pid) {
        List<ProcInfo> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>();
        todo.add(pid);
        while (!todo.isEmpty()) {
            for (ProcInfo c : childrenOf(todo.poll())) {
                if (c.pid() != pid) {
                    out.add(c);
                    todo.add(c.pid());
                }
            }
        }
        return out;
    }

    /**
     * The live (non-zombie) processes of an agent's tree: its main process (when it is still the same
     * process), every member of its process group when it leads one, and all their descendants.
     */
    public Map<Long, ProcInfo> treeOf(long pid, long startTicks, boolean leadsGroup) {
        Map<Long, ProcInfo> tree = new java.util.LinkedHashMap<>();
        get(pid).filter(p -> (startTicks < 0 || p.startTicks() == startTicks) && !p.zombie()).ifPresent(p -> tree.put(pid, p));
        if (leadsGroup) {
            for (ProcInfo p : groupMembers(pid)) {
                if (!p.zombie()) {
                    tree.put(p.pid(), p);
                }
            }
        }
        addDescendants(tree);
        return tree;
    }

    /** Adds every live descendant of the processes already in {@code tree}. */
    public void addDescendants(Map<Long, ProcInfo> tree) {
        Deque<ProcInfo> todo = new ArrayDeque<>(tree.values());
        while (!todo.isEmpty()) {
            for (ProcInfo c : childrenOf(todo.poll().pid())) {
                if (!c.zombie() && !tree.containsKey(c.pid())) {
                    tree.put(c.pid(), c);
                    todo.add(c);
                }
            }
        }
    }

    /** The processes whose process group is {@code pgid}. */
    public List<ProcInfo> groupMembers(long pgid) {
        if (byGroup == null) {
            byGroup = index(ProcInfo::pgid);
        }
        return byGroup.getOrDefault(pgid, List.of());
    }

    /** The processes whose session is {@code sid} (those that did not call setsid since their session leader started). */
    public List<ProcInfo> sessionMembers(long sid) {
        if (bySession == null) {
            bySession = index(ProcInfo::sid);
        }
        return bySession.getOrDefault(sid, List.of());
    }

    private Map<Long, List<ProcInfo>> index(java.util.function.ToLongFunction<ProcInfo> key) {
        Map<Long, List<ProcInfo>> out = new HashMap<>();
        for (ProcInfo p : byPid.values()) {
            out.computeIfAbsent(key.applyAsLong(p), k -> new ArrayList<>()).add(p);
        }
        return out;
    }
}
