package dev.agentdeck.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Host figures from /proc/stat, /proc/meminfo and /proc/loadavg; CPU is the change since the previous sample. */
final class LinuxHostMetrics implements HostMetrics {
    private long prevTotal;
    private long prevIdle;

    @Override
    public synchronized HostSample sample() {
        double cpu = 0;
        try {
            String line = Files.readString(Path.of("/proc/stat"));
            String[] f = line.substring(0, line.indexOf('\n')).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            if (prevTotal > 0 && total > prevTotal) {
                cpu = 100.0 * (1.0 - (double) (idle - prevIdle) / (total - prevTotal));
            }
            prevTotal = total;
            prevIdle = idle;
        } catch (IOException | RuntimeException e) {
            // leave CPU at 0 for this sample
        }
        long memTotal = 0;
        long memAvailable = 0;
        long swapTotal = 0;
        long swapFree = 0;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    memTotal = kb(l);
                } else if (l.startsWith("MemAvailable:")) {
                    memAvailable = kb(l);
                } else if (l.startsWith("SwapTotal:")) {
                    swapTotal = kb(l);
                } else if (l.startsWith("SwapFree:")) {
                    swapFree = kb(l);
                }
            }
        } catch (IOException | RuntimeException e) {
            // leave zeros
        }
        double[] load = {0, 0, 0};
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                load[i] = Double.parseDouble(f[i]);
            }
        } catch (IOException | RuntimeException e) {
            // leave zeros
        }
        return new HostSample(Instant.now(), Math.max(0, Math.min(100, cpu)), memTotal - memAvailable, memTotal,
                swapTotal - swapFree, swapTotal, load[0], load[1], load[2], Runtime.getRuntime().availableProcessors());
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
    }
}
