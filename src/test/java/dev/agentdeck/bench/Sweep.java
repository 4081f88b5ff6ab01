package dev.agentdeck.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * The last step of every session: once the manager was asked to stop and given its time, every process
 * it started that is still alive is killed by PID: the agents and children the fleet recorded, the
 * manager's descendants seen by a /proc walk, and the manager itself. Only processes started since the
 * session began are touched.
 */
final class Sweep {
    private Sweep() {
    }

    /** The manager's descendants now, to be killed later if they outlive it. */
    static Set<Long> below(long daemonPid) {
        return daemonPid > 0 ? Procs.descendants(Set.of(daemonPid)) : Set.of();
    }

    /** Kills what is left; says so when something was. */
    static void leftovers(String label, Fleet fleet, Set<Long> descendants, long daemonPid, long sinceTicks) {
        Set<Long> all = new HashSet<>(fleet.everyPid());
        all.addAll(descendants);
        if (daemonPid > 0) {
            all.addAll(Procs.descendants(Set.of(daemonPid)));
            all.add(daemonPid);
        }
        int killed = Procs.kill(all, sinceTicks);
        if (killed > 0) {
            System.out.println("  cleanup: killed " + killed + " processes " + label + " left behind");
        }
    }
}
