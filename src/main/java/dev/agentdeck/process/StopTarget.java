package dev.agentdeck.process;

import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.util.Map;

/**
 * A run to stop or to watch: its main process (PID and start ticks, so a recycled PID is never hit), whether
 * it leads its own session and process group (then both are signalled and counted), and the unit that owns
 * everything it spawned.
 */
record StopTarget(String agentId, long pid, long startTicks, boolean leadsGroup, RunUnit unit, long endedTicks) {

    /** A run whose main process still runs. */
    StopTarget(String agentId, long pid, long startTicks, boolean leadsGroup, RunUnit unit) {
        this(agentId, pid, startTicks, leadsGroup, unit, Long.MAX_VALUE);
    }

    StopTarget(String agentId, long pid, long startTicks, boolean leadsGroup) {
        this(agentId, pid, startTicks, leadsGroup, new TrackedUnit());
    }

    /**
     * The same run once its main process has ended (at {@code endedTicks}): a process of its group or session by
     * id must have started by then, since a process that started later may have been given the main's PID anew.
     */
    StopTarget ended(long endedTicks) {
        return new StopTarget(agentId, pid, startTicks, leadsGroup, unit, endedTicks);
    }

    private boolean ofThisRun(ProcInfo p) {
        return !p.zombie() && (startTicks < 0 || p.startTicks() >= startTicks) && p.startTicks() <= endedTicks;
    }

    /**
     * The live processes of the run in one snapshot: the main process (when it is still the same process), its
     * process group and session (members started no earlier than the run, so no older process of a reused
     * group id counts), its unit's members, and all their descendants.
     */
    Map<Long, ProcInfo> members(ProcSnapshot snap, ProcessTable table) {
        return members(snap, table, tree(snap));
    }

    /** The run's process tree proper: the main process, its process group, and all their descendants. */
    Map<Long, ProcInfo> tree(ProcSnapshot snap) {
        Map<Long, ProcInfo> tree = new java.util.LinkedHashMap<>();
        snap.get(pid).filter(p -> (startTicks < 0 || p.startTicks() == startTicks) && !p.zombie() && endedTicks == Long.MAX_VALUE)
                .ifPresent(p -> tree.put(pid, p));
        if (leadsGroup) {
            // the group's id outlives its leader while members remain; a member older than the run is not one of ours
            for (ProcInfo p : snap.groupMembers(pid)) {
                if (ofThisRun(p)) {
                    tree.put(p.pid(), p);
                }
            }
        }
        snap.addDescendants(tree);
        return tree;
    }

    /** {@link #members(ProcSnapshot, ProcessTable)} from the run's {@link #tree} already read. */
    Map<Long, ProcInfo> members(ProcSnapshot snap, ProcessTable table, Map<Long, ProcInfo> tree) {
        Map<Long, ProcInfo> members = new java.util.LinkedHashMap<>(tree);
        if (leadsGroup && startTicks >= 0) {
            for (ProcInfo p : snap.sessionMembers(pid)) {
                if (ofThisRun(p)) {
                    members.putIfAbsent(p.pid(), p);
                }
            }
        }
        unit.addMembers(snap, table, members);
        snap.addDescendants(members);
        return members;
    }
}
