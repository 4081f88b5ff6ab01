package dev.agentdeck.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Host figures from /proc/stat (its first line only: the file goes on with a long interrupt table),
 * /proc/meminfo and /proc/loadavg; CPU is the change since the previous sample.
 */
final class LinuxHostMetrics implements HostMetrics {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private final ByteBuffer buf = ByteBuffer.allocate(4096);
    private long prevTotal;
    private long prevIdle;

    @Override
    public synchronized HostSample sample() {
        double cpu = 0;
        String stat = head(STAT, 512);
        try {
            String[] f = stat.substring(0, Math.max(0, stat.indexOf('\n'))).trim().split("\\s+");
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
        } catch (RuntimeException e) {
            // leave CPU at 0 for this sample
        }
        String mem = head(MEMINFO, 4096);
        long memTotal = field(mem, "MemTotal:");
        long memAvailable = field(mem, "MemAvailable:");
        long swapTotal = field(mem, "SwapTotal:");
        long swapFree = field(mem, "SwapFree:");
        double[] load = {0, 0, 0};
        try {
            String[] f = head(LOADAVG, 256).trim().split("\\s+");
            for (int i = 0; i < 3; i++) {
                load[i] = Double.parseDouble(f[i]);
            }
        } catch (RuntimeException e) {
            // leave zeros
        }
        return new HostSample(Instant.now(), Math.max(0, Math.min(100, cpu)), memTotal - memAvailable, memTotal,
                swapTotal - swapFree, swapTotal, load[0], load[1], load[2], Runtime.getRuntime().availableProcessors());
    }

    /** The first {@code max} bytes of a file, or "" when it cannot be read. */
    private String head(Path file, int max) {
        buf.clear().limit(Math.min(max, buf.capacity()));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // procfs answers in one or two reads
            }
        } catch (IOException e) {
            return "";
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }

    /** A "Name:   1234 kB" value of /proc/meminfo in bytes, or 0. */
    private static long field(String meminfo, String name) {
        int at = meminfo.indexOf(name);
        if (at < 0) {
            return 0;
        }
        long v = 0;
        for (int i = at + name.length(); i < meminfo.length(); i++) {
            char c = meminfo.charAt(i);
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
            } else if (c == '\n' || (c == ' ' && v > 0)) {
                break;
            }
        }
        return v * 1024;
    }
}
