package dev.agentdeck.bench;

import dev.agentdeck.logs.LineRing;
import dev.agentdeck.logs.LogFileReader;
import dev.agentdeck.logs.LogFollower;
import dev.agentdeck.logs.LogLine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The log engine's figures: (1) a child JVM writes fixed 100-byte lines at 50,000 lines/s for 10 s into an
 * out log (appending, as agents do) while a {@link LogFollower} polling every 50 ms feeds a
 * {@code LineRing(100_000)}: delivered lines/s, the largest lag between lines written and delivered, the CPU
 * time of the follower's scheduler thread (which also runs the sink), and the heap after a GC; (2) a 1 GB log
 * file of real lines: {@link LogFileReader#linesBefore} of 1,000 lines at its end and in its middle, and
 * {@link LogFileReader#lastLineEnd}, median and min–max of 20 (page cache warm: the file was just written).
 * Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.LogFloodBenchmark -Dbench.args=}.
 */
public final class LogFloodBenchmark {
    private static final int LINE = 100;
    private static final String FLOOD_LINE = String.format(Locale.ROOT, "%-" + (LINE - 1) + "s\n",
            "2024-03-01T12:00:00.000Z INFO  worker-3 processed item 0000000000 ok payload=abcdefghij");
    private static final int SEQ_AT = FLOOD_LINE.indexOf("0000000000");

    private LogFloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--writer")) {
            writer(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int rate = BenchSupport.intArg(args, "--rate", 50_000);
        int seconds = BenchSupport.intArg(args, "--seconds", 10);
        int gigabytes = BenchSupport.intArg(args, "--gb", 1);
        System.out.println("AgentDeck log benchmark");
        System.out.println("machine: " + BenchSupport.machine());
        Path home = BenchSupport.tempHome("agentdeck-bench-logs-");
        try {
            List<String[]> rows = new ArrayList<>();
            flood(home, rate, seconds, rows);
            if (gigabytes > 0) {
                bigFile(home, gigabytes, rows);
            }
            System.out.println();
            System.out.println("| figure | aim | result |");
            System.out.println("|---|---|---|");
            for (String[] r : rows) {
                System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
            }
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    /** The child: {@code rate} lines of exactly 100 bytes per second for {@code seconds}, written every 10 ms. */
    private static void writer(int rate, int seconds) throws IOException {
        OutputStream out = new BufferedOutputStream(System.out, 1 << 20);
        byte[] line = FLOOD_LINE.getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long written = 0;
        long total = (long) rate * seconds;
        while (written < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            for (; written < due; written++) {
                long n = written + 1;
                for (int d = 9; d >= 0; d--, n /= 10) {
                    line[SEQ_AT + d] = (byte) ('0' + n % 10);
                }
                out.write(line);
            }
            out.flush();
            LockSupport.parkNanos(10_000_000);
        }
        out.flush();
        System.err.printf(Locale.ROOT, "wrote %d lines in %.2f s%n", written, (System.nanoTime() - start) / 1e9);
    }

    private static void flood(Path home, int rate, int seconds, List<String[]> rows) throws Exception {
        Path out = home.resolve("flood.out.log");
        Path err = home.resolve("flood.err.log");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "log-follower");
            t.setDaemon(true);
            return t;
        });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long timerThread = timer.submit(() -> Thread.currentThread().getId()).get();
        LineRing<LogLine> ring = new LineRing<>(100_000);
        AtomicLong delivered = new AtomicLong();
        AtomicLong outOfOrder = new AtomicLong();
        long[] lastSeq = {0};
        long cpu0 = threads.getThreadCpuTime(timerThread);
        long procCpu0 = processCpuNanos();
        LogFollower follower = new LogFollower("flood", out, err, 0, 0, timer, 50, batch -> {
            ring.addAll(batch);
            for (LogLine l : batch) {
                if (l.stream() == dev.agentdeck.logs.LogStream.OUT) {
                    long seq = Long.parseLong(l.text(), SEQ_AT, SEQ_AT + 10, 10);
                    if (seq != lastSeq[0] + 1) {
                        outOfOrder.incrementAndGet();
                    }
                    lastSeq[0] = seq;
                    delivered.incrementAndGet();
                }
            }
        });
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LogFloodBenchmark.class.getName(), "--writer", String.valueOf(rate), String.valueOf(seconds))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .start();
        long maxLag = 0;
        long maxLagAfter1s = 0;
        double maxLagAt = 0;
        long firstByteNanos = 0;
        long t0 = System.nanoTime();
        try {
            while (child.isAlive() || delivered.get() < Files.size(out) / LINE) {
                long written = Files.exists(out) ? Files.size(out) / LINE : 0;
                if (written > 0 && firstByteNanos == 0) {
                    firstByteNanos = System.nanoTime();
                }
                long lag = written - delivered.get();
                if (lag > maxLag) {
                    maxLag = lag;
                    maxLagAt = firstByteNanos == 0 ? 0 : (System.nanoTime() - firstByteNanos) / 1e9;
                }
                if (firstByteNanos != 0 && System.nanoTime() - firstByteNanos > 1_000_000_000L) {
                    maxLagAfter1s = Math.max(maxLagAfter1s, lag);
                }
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(seconds + 60L)) {
                    throw new IllegalStateException("the follower did not catch up: " + delivered.get() + " of " + written);
                }
                LockSupport.parkNanos(5_000_000);
            }
        } finally {
            child.destroyForcibly();
        }
        long doneNanos = System.nanoTime();
        follower.close();
        long cpu = timer.submit(() -> threads.getThreadCpuTime(timerThread)).get() - cpu0;
        long procCpu = processCpuNanos() - procCpu0;
        String childReport = Files.readString(err).trim();
        long written = Files.size(out) / LINE;
        double wall = (doneNanos - firstByteNanos) / 1e9;
        System.out.println("writer: " + childReport + " (" + String.format(Locale.ROOT, "%,d", written) + " in the file)");
        System.out.printf(Locale.ROOT, "follower: %,d lines delivered, %,d bytes read, %d out of order, ring %,d kept, %,d dropped%n",
                follower.linesDelivered(), follower.bytesRead(), outOfOrder.get(), ring.size(), ring.dropped());
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapFull = memory.getHeapMemoryUsage().getUsed();
        ring.clear();
        System.gc();
        long heapEmpty = memory.getHeapMemoryUsage().getUsed();
        timer.shutdownNow();

        rows.add(new String[]{"lines/s delivered (child JVM writing " + String.format(Locale.ROOT, "%,d", rate) + " lines/s of 100 B for "
                + seconds + " s; poll 50 ms)", String.format(Locale.ROOT, "%,d/s, all, in order", rate),
                String.format(Locale.ROOT, "%,.0f/s; %,d of %,d delivered, %d out of order", delivered.get() / wall,
                        delivered.get(), written, outOfOrder.get())});
        rows.add(new String[]{"max lag, lines written but not yet delivered (sampled every 5 ms): overall / after the first second",
                "a few polls", String.format(Locale.ROOT, "%,d lines (%.0f ms at %,d/s; at %.1f s) / %,d lines (%.0f ms)", maxLag,
                maxLag * 1000.0 / rate, rate, maxLagAt, maxLagAfter1s, maxLagAfter1s * 1000.0 / rate)});
        rows.add(new String[]{"follower CPU (its scheduler thread, incl. the ring sink)", "well under one core",
                String.format(Locale.ROOT, "%.2f s over %.1f s = %.1f %% of a core", cpu / 1e9, wall, cpu / 1e9 / wall * 100)});
        rows.add(new String[]{"benchmark JVM CPU in the same time (follower, sampler, GC, JIT)", "-",
                String.format(Locale.ROOT, "%.2f s = %.1f %% of a core", procCpu / 1e9, procCpu / 1e9 / wall * 100)});
        rows.add(new String[]{"heap after GC: ring of 100,000 lines full / cleared", "bounded",
                String.format(Locale.ROOT, "%.1f MiB / %.1f MiB", heapFull / 1048576.0, heapEmpty / 1048576.0)});
    }

    private static void bigFile(Path home, int gigabytes, List<String[]> rows) throws IOException {
        Path big = home.resolve("big.out.log");
        long target = (long) gigabytes << 30;
        long t0 = System.nanoTime();
        long lines = 0;
        byte[] line = String.format(Locale.ROOT, "%-" + (LINE - 1) + "s\n",
                "2024-03-01T12:00:00.000Z WARN  agent-7 request 0000000000 took long; retrying \u00fcber-slow")
                .getBytes(StandardCharsets.UTF_8);
        line = java.util.Arrays.copyOf(line, LINE); // the umlaut is two bytes: keep lines at exactly 100 bytes
        line[LINE - 1] = '\n';
        int seqAt = new String(line, StandardCharsets.UTF_8).indexOf("0000000000");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(big), 8 << 20)) {
            for (long size = 0; size < target; size += LINE, lines++) {
                long n = lines + 1;
                for (int d = 9; d >= 0; d--, n /= 10) {
                    line[seqAt + d] = (byte) ('0' + n % 10);
                }
                out.write(line);
            }
        }
        long size = Files.size(big);
        System.out.printf(Locale.ROOT, "wrote %,d bytes (%,d lines) in %.1f s%n", size, lines, (System.nanoTime() - t0) / 1e9);
        try {
            List<Double> end = new ArrayList<>();
            List<Double> middle = new ArrayList<>();
            List<Double> last = new ArrayList<>();
            long mid = size / 2 / LINE * LINE;
            for (int i = 0; i < 22; i++) {
                long a = System.nanoTime();
                LogFileReader.Chunk c = LogFileReader.linesBefore(big, size, 1000);
                long b = System.nanoTime();
                LogFileReader.Chunk m = LogFileReader.linesBefore(big, mid, 1000);
                long c2 = System.nanoTime();
                long lle = LogFileReader.lastLineEnd(big);
                long d = System.nanoTime();
                if (c.lines().size() != 1000 || m.lines().size() != 1000 || lle != size || c.startOffset() != size - 1000L * LINE) {
                    throw new IllegalStateException("wrong chunk: " + c.lines().size() + " " + m.lines().size() + " " + lle);
                }
                if (i >= 2) { // the first two warm the JIT
                    end.add((b - a) / 1e6);
                    middle.add((c2 - b) / 1e6);
                    last.add((d - c2) / 1e6);
                }
            }
            rows.add(new String[]{"linesBefore(size, 1000) on a " + gigabytes + " GiB file", "a few ms", ms(end)});
            rows.add(new String[]{"linesBefore(middle, 1000) on the same file", "a few ms", ms(middle)});
            rows.add(new String[]{"lastLineEnd on the same file", "a few ms", ms(last)});
        } finally {
            Files.deleteIfExists(big);
        }
    }

    private static String ms(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(Locale.ROOT, "%.2f ms (%.2f\u2013%.2f), median of %d", median, sorted.get(0),
                sorted.get(sorted.size() - 1), sorted.size());
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
