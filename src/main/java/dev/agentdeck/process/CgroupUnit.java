package dev.agentdeck.process;

import dev.agentdeck.os.CgroupV2;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.nio.file.Path;
import java.util.Map;

/**
 * A run's own cgroup v2: the agent enters it before its program starts, and everything it forks stays in it
 * whatever it does to its session, process group or environment. Membership is {@code cgroup.procs};
 * {@code cgroup.kill} is the last step of a stop, as in systemd.
 */
record CgroupUnit(Path dir) implements RunUnit {
    @Override
    public void addMembers(ProcSnapshot snap, ProcessTable table, Map<Long, ProcInfo> members) {
        for (long pid : CgroupV2.procs(dir)) {
            if (members.containsKey(pid)) {
                continue;
            }
            // a process forked after the scan is in the cgroup but not in the snapshot: read it on its own
            ProcInfo p = snap.get(pid).orElseGet(() -> table.read(pid).orElse(null));
            if (p != null && !p.zombie()) {
                members.put(pid, p);
            }
        }
    }

    @Override
    public void record(Map<Long, ProcInfo> tree) {
        // the kernel keeps the membership
    }

    @Override
    public boolean killAll() {
        return CgroupV2.kill(dir);
    }

    @Override
    public void release() {
        CgroupV2.remove(dir);
    }

    @Override
    public Path cgroup() {
        return dir;
    }
}
