package dev.agentdeck.core;

/**
 * Resources used by an agent's whole process tree at one sample.
 *
 * @param cpuPercent CPU since the previous sample, 100 = one core
 * @param rssBytes   resident memory, summed
 * @param threads    threads, summed
 * @param children   processes in the tree besides the main one
 */
public record Usage(double cpuPercent, long rssBytes, int threads, int children) {
}
