package dev.agentdeck.process;

/**
 * A process tree to stop: its main process (PID and start ticks, so a recycled PID is never hit) and
 * whether it leads its own process group, in which case the whole group is signalled.
 */
record StopTarget(String agentId, long pid, long startTicks, boolean leadsGroup) {
}
