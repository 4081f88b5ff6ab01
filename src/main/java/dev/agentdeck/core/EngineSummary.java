package dev.agentdeck.core;

/**
 * Agents at a glance: how many there are, run, are stopped and failed, and the CPU (100 = one core) and
 * memory all running agents use together.
 */
public record EngineSummary(int total, int running, int stopped, int failed, double cpuPercent, long rssBytes) {
}
