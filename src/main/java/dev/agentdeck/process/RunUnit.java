package dev.agentdeck.process;

import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.nio.file.Path;
import java.util.Map;

/**
 * What owns every process one run spawned, as a systemd unit's control group does: a run ends when its unit
 * is empty, and a stop ends every member. A {@link CgroupUnit} knows its members from the kernel; a
 * {@link TrackedUnit} from what the engine has seen of the run's tree. Either way, membership is only ever
 * added to, never guessed: a process no unit can show is never signalled.
 */
sealed interface RunUnit permits CgroupUnit, TrackedUnit {
    /** Adds this unit's live (non-zombie) processes to {@code members}, beyond the run's own tree. */
    void addMembers(ProcSnapshot snap, ProcessTable table, Map<Long, ProcInfo> members);

    /** Notes what a scan showed of the run's tree, so a process that later leaves it is still known. */
    void record(Map<Long, ProcInfo> tree);

    /** Kills every member at once where the kernel can; false when members must be signalled one by one. */
    boolean killAll();

    /** Frees what the unit holds once its run has ended (an empty cgroup is removed). */
    void release();

    /** The run's cgroup (recorded in the PID file, entered before exec), or null for a tracked unit. */
    Path cgroup();
}
