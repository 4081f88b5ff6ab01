package dev.agentdeck.core;

/**
 * Agents at a glance: how many there are, run, are stopped and failed, and the CPU (100 = one core) and
 * memory all running agents use together.
 */
public record EngineSummary(int total, int running, int stopped, int failed, double cpuPercent, long rssBytes) {

    /** The summary of these snapshots. */
    public static EngineSummary of(java.util.List<AgentStatus> all) {
        int running = 0;
        int failed = 0;
        double cpu = 0;
        long rss = 0;
        for (AgentStatus s : all) {
            if (s.state().hasProcess()) {
                running++;
                if (s.usage() != null) {
                    cpu += s.usage().cpuPercent();
                    rss += s.usage().rssBytes();
                }
            } else if (s.state() == AgentState.FAILED || s.state() == AgentState.FATAL || s.state() == AgentState.BACKOFF) {
                failed++;
            }
        }
        return new EngineSummary(all.size(), running, all.size() - running - failed, failed, cpu, rss);
    }
}
