package dev.agentdeck.metrics;

import java.time.Instant;

/** The machine at one moment: CPU (100 = all cores busy), memory, swap, load average, cores. */
public record HostSample(Instant at, double cpuPercent, long memUsedBytes, long memTotalBytes, long swapUsedBytes,
                         long swapTotalBytes, double load1, double load5, double load15, int cores) {
}
