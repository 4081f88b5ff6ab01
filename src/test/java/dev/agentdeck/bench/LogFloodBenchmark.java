package dev.agentdeck.bench;

import dev.agentdeck.logs.LineRing;
import dev.agentdeck.logs.LogFileReader;
import dev.agentdeck.logs.LogFollower;
import dev.agentdeck.logs.LogLine;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log engine under load, without the UI: (1) a real process prints 50,000 lines a second for 10 s while a
 * {@link LogFollower} follows it into a bounded ring at the panel's 50 ms poll: delivered lines per second,
 * the follower's CPU, and the heap after; (2) the last 1,000 lines of a 1 GB log file, as the log viewer reads
 * them when it opens, and the offset a follower starts from.
 */
public final class LogFloodBenchmark {
    private LogFloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = BenchSupport.intArg(args, "--lines", 50_000);
        int seconds = BenchSupport.intArg(args, "--seconds", 10);
        int gigabytes = BenchSupport.intArg(args, "--gb", 1);
        System.out.printf(Locale.ROOT, "machine: %s%n", BenchSupport.machine());
        Path dir = BenchSupport.tempHome("agentdeck-log-bench");
        try {
            flood(dir, rate, seconds);
            bigFile(dir, gigabytes);
        } finally {
            BenchSupport.deleteTree(dir);
        }
    }

    private static void flood(Path dir, int rate, int seconds) throws Exception {
        Path out = dir.resolve("flood.out.log");
        Path err = dir.resolve("flood.err.log");
        int perTick = rate / 100;
        long total = (long) rate * seconds;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "follower"));
        AtomicLong delivered = new AtomicLong();
        LineRing<LogLine> ring = new LineRing<>(100_000);
        long[] followerThread = new long[1];
        timer.submit(() -> followerThread[0] = Thread.currentThread().getId()).get();
        LogFollower follower = new LogFollower("flood", out, err, 0, 0, timer, 50, lines -> {
            delivered.addAndGet(lines.size());
            ring.addAll(lines);
        });
        Process p = new ProcessBuilder("perl", "-e", """
                use Time::HiRes qw(time sleep); my $n=0; my $t=time; $|=0;
                while ($n < %d) { for (1..%d) { $n++; print "2026-11-23T10:00:00.000Z INFO flood line $n with a payload to make it about a hundred bytes\\n"; }
                  $|=1; $|=0; $t += 0.01; my $d = $t - time; sleep($d) if $d > 0; }
                """.formatted(total, perTick)).redirectOutput(out.toFile()).start();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getThreadCpuTime(followerThread[0]);
        long t0 = System.nanoTime();
        long steal = BenchSupport.stealTicks();
        long maxLag = 0;
        while (p.isAlive() || delivered.get() < total) {
            Thread.sleep(100); // sampling the lag at a fixed pace
            long written = Files.exists(out) ? Files.size(out) / 100 : 0; // lines are ~100 bytes
            maxLag = Math.max(maxLag, written - delivered.get());
            if (System.nanoTime() - t0 > (seconds + 30) * 1_000_000_000L) {
                break;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (threads.getThreadCpuTime(followerThread[0]) - cpu0) / 1e9;
        follower.close();
        timer.shutdownNow();
        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        System.out.printf(Locale.ROOT, "flood: %,d lines in %.1f s (%,.0f lines/s delivered), all delivered: %s, max lag ~%,d lines%n",
                delivered.get(), secs, delivered.get() / secs, delivered.get() == total, maxLag);
        System.out.printf(Locale.ROOT, "follower CPU: %.2f s for %.1f s (%.0f %% of one core); ring holds %,d (dropped %,d); heap after GC %d MiB; stolen %s%n",
                cpu, secs, 100 * cpu / secs, ring.size(), ring.dropped(), heapMb, BenchSupport.stolen(steal, secs));
    }

    private static void bigFile(Path dir, int gigabytes) throws Exception {
        Path big = dir.resolve("big.out.log");
        byte[] line = "2026-11-23T10:00:00.000Z INFO a line of a big log file, padded to about one hundred bytes long....\n"
                .getBytes(StandardCharsets.UTF_8);
        long target = gigabytes * 1024L * 1024 * 1024;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(big), 1 << 20)) {
            for (long written = 0; written < target; written += line.length) {
                o.write(line);
            }
        }
        long size = Files.size(big);
        List<Double> tail = new ArrayList<>();
        List<Double> end = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            long t = System.nanoTime();
            long lastEnd = LogFileReader.lastLineEnd(big);
            end.add((System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            LogFileReader.Chunk c = LogFileReader.linesBefore(big, lastEnd, 1000);
            if (c.lines().size() != 1000) {
                throw new IllegalStateException("read " + c.lines().size() + " lines");
            }
            if (i > 0) {
                tail.add((System.nanoTime() - t) / 1e6);
            }
        }
        System.out.printf(Locale.ROOT, "%,d-byte file: last 1,000 lines in %s; where to follow from in %s%n", size,
                summary(tail), summary(end.subList(1, end.size())));
    }

    private static String summary(List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        sorted.sort(null);
        return String.format(Locale.ROOT, "%.2f ms (%.2f\u2013%.2f)", sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
    }
}
