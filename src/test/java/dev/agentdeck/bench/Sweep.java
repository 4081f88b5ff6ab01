package dev.agentdeck.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The last step of every session: once the manager was asked to stop and given its time, every process
 * it started that is still alive is killed by PID: the agents and children the fleet recorded, the
 * manager's descendants seen by a /proc walk, and the manager itself. Only processes started since the
 * session began are touched.
 */
final class Sweep {
    private Sweep() {
    }

    /** The manager's descendants now, with their start ticks, to be killed later if they outlive it. */
    static Map<Long, Long> below(long daemonPid) {
        return daemonPid > 0 ? Procs.identities(Procs.descendants(java.util.Set.of(daemonPid))) : Map.of();
    }

    /** Kills what is left; says so when something was. */
    static void leftovers(String label, Fleet fleet, Map<Long, Long> descendants, long daemonPid, long sinceTicks) {
        Map<Long, Long> all = new HashMap<>(fleet.everyPid());
        all.putAll(descendants);
        if (daemonPid > 0) {
            all.putAll(below(daemonPid));
            all.putAll(Procs.identities(java.util.List.of(daemonPid)));
        }
        int killed = Procs.kill(all, sinceTicks);
        if (killed > 0) {
            System.out.println("  cleanup: killed " + killed + " processes " + label + " left behind");
        }
    }

    /**
     * Ends a manager that stops its agents on TERM (serve with stopAllOnExit, supervisord): TERM, up to 30 s for
     * it to exit, then the leftovers are killed by PID.
     */
    static void terminate(String label, Fleet fleet, Process manager, long sinceTicks) {
        Map<Long, Long> descendants = below(manager.pid());
        manager.destroy();
        try {
            manager.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leftovers(label, fleet, descendants, manager.pid(), sinceTicks);
    }
}
