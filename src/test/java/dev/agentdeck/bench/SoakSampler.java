package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The serve JVM's footprint at one moment: the live heap right after a full GC ({@code jcmd PID GC.class_histogram},
 * which collects first and sums what survived, per class: a {@code GC.run} then {@code GC.heap_info} also counts
 * whatever was allocated between the two attaches, about a second apart), metaspace used ({@code GC.heap_info}),
 * RSS and threads from {@code /proc/PID/status}, open descriptors from {@code /proc/PID/fd}. The first
 * {@code jcmd} starts the JVM's attach listener thread, so warm-up attaches once.
 * <p>
 * One full GC does not leave only the live objects. The serial collector's mark-compact (the serve's, see
 * {@link SupervisionBenchmark#SERVE_JVM}) leaves up to {@code MarkSweepDeadRatio} (5 %) of the old generation's
 * dead objects where they are rather than move the live ones past them, and turns each such gap into a filler
 * {@code int[]} that nothing references; only every {@code MarkSweepAlwaysCompactCount}-th (4th) full GC compacts
 * all the way. A single histogram therefore counts between 0 and a few hundred KiB of {@code [I} that are no one's
 * objects, depending on where the sample falls in that cycle: enough to look like an {@code int[]} leak. So each
 * sample runs one full cycle of histograms in one attach and keeps the smallest, the one after the full compaction.
 */
final class SoakSampler {
    /** One sample; sizes in KiB. */
    record Sample(double minute, long heapKb, long metaspaceKb, long rssKb, long fds, long threads, int running,
                  Map<String, Long> bytesByClass) {
    }

    /** A figure of the samples: its name, unit and how to read it from a sample. */
    record Figure(String name, String unit, double divisor, java.util.function.ToLongFunction<Sample> read) {
    }

    static final List<Figure> FIGURES = List.of(
            new Figure("live heap after full GC", "MiB", 1024, Sample::heapKb),
            new Figure("metaspace after GC", "MiB", 1024, Sample::metaspaceKb),
            new Figure("RSS", "MiB", 1024, Sample::rssKb),
            new Figure("open file descriptors", "", 1, Sample::fds),
            new Figure("threads", "", 1, Sample::threads));

    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern META = Pattern.compile("Metaspace\\s+used\\s+(\\d+)K");
    private static final Pattern ALWAYS_COMPACT = Pattern.compile("MarkSweepAlwaysCompactCount\\s+=\\s+(\\d+)");
    private final long pid;
    private final String jcmd;
    /** Full GCs per sample: enough that one of them compacts fully (see the class comment). */
    private int histograms = 4;
    private Path commands;

    SoakSampler(long pid) {
        this.pid = pid;
        Path j = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.jcmd = Files.isExecutable(j) ? j.toString() : "jcmd";
    }

    Sample sample(double minute, int running) throws IOException, InterruptedException {
        if (commands == null) {
            commands = Files.createTempFile("agentdeck-soak-jcmd-", ".txt");
            commands.toFile().deleteOnExit();
            Files.writeString(commands, "GC.class_histogram\n".repeat(histograms) + "GC.heap_info\n");
        }
        String out = jcmd("-f", commands.toString());
        Histogram h = smallestHistogram(out);
        Matcher mm = META.matcher(out);
        long meta = mm.find() ? Long.parseLong(mm.group(1)) : 0;
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = s.count();
        }
        return new Sample(minute, h.totalBytes / 1024, meta, status("VmRSS:"), fds, status("Threads:"), running, h.bytesByClass);
    }

    /** One {@code GC.class_histogram}: the total bytes and the bytes per class. */
    record Histogram(long totalBytes, Map<String, Long> bytesByClass) {
    }

    /**
     * Of the class histograms in one {@code jcmd} output, the one with the fewest bytes: the one after the full GC
     * that compacted all the way, without the dead wood the other full GCs leave as {@code int[]} fillers.
     */
    static Histogram smallestHistogram(String jcmdOutput) {
        Histogram best = null;
        Map<String, Long> current = new HashMap<>();
        for (String line : jcmdOutput.split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(line);
            if (m.find()) {
                current.put(m.group(2), Long.parseLong(m.group(1)));
            } else if (line.startsWith("Total")) {
                String[] f = line.trim().split("\\s+");
                long total = Long.parseLong(f[f.length - 1]);
                if (best == null || total < best.totalBytes) {
                    best = new Histogram(total, current);
                }
                current = new HashMap<>();
            }
        }
        if (best == null) {
            throw new IllegalStateException("cannot read the live heap from jcmd GC.class_histogram");
        }
        return best;
    }

    /** The classes whose live bytes grew most from {@code a} to {@code b}: "class +N KiB (instances' bytes)". */
    static List<String> growth(Sample a, Sample b, int top) {
        return b.bytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.bytesByClass.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %+.1f KiB (%.1f KiB)", e.getKey(), e.getValue() / 1024.0,
                        b.bytesByClass.get(e.getKey()) / 1024.0))
                .toList();
    }

    /** Attaches once, so the attach listener thread exists before the first counted sample. */
    void attach() throws IOException, InterruptedException {
        Matcher m = ALWAYS_COMPACT.matcher(jcmd("VM.flags", "-all"));
        if (m.find()) {
            histograms = Math.max(1, Math.min(16, Integer.parseInt(m.group(1))));
        }
    }

    private long status(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no " + key + " in /proc/" + pid + "/status");
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    static String header() {
        return String.format(Locale.ROOT, "%6s  %8s  %8s  %8s  %5s  %7s  %7s", "minute", "live MiB", "meta MiB", "RSS MiB",
                "fds", "threads", "running");
    }

    static String row(Sample s) {
        return String.format(Locale.ROOT, "%6.1f  %8.1f  %8.1f  %8.1f  %5d  %7d  %7d", s.minute, s.heapKb / 1024.0,
                s.metaspaceKb / 1024.0, s.rssKb / 1024.0, s.fds, s.threads, s.running);
    }

    /**
     * The verdict table: start is the first sample after the warm-up, end the median of the last third of the
     * samples, max over every sample after the warm-up; flat when end is within {@code tolerance} of start.
     */
    static List<String> table(List<Sample> measured, double tolerance) {
        List<String> out = new ArrayList<>();
        out.add("| figure | start (after warm-up) | end (median of last third) | max | change | verdict |");
        out.add("|---|---|---|---|---|---|");
        int third = Math.max(1, measured.size() / 3);
        List<Sample> last = measured.subList(measured.size() - third, measured.size());
        for (Figure f : FIGURES) {
            double start = f.read.applyAsLong(measured.get(0)) / f.divisor;
            double end = median(last.stream().map(s -> f.read.applyAsLong(s) / f.divisor).toList());
            double max = measured.stream().mapToDouble(s -> f.read.applyAsLong(s) / f.divisor).max().orElse(0);
            double change = start == 0 ? 0 : (end - start) / start;
            String unit = f.unit.isEmpty() ? "" : " " + f.unit;
            String fmt = f.divisor == 1 ? "%.0f" : "%.1f";
            out.add(String.format(Locale.ROOT, "| %s | " + fmt + "%s | " + fmt + "%s | " + fmt + "%s | %+.1f %% | %s |", f.name,
                    start, unit, end, unit, max, unit, change * 100, Math.abs(change) <= tolerance ? "flat" : "NOT flat"));
        }
        return out;
    }

    /** Least-squares slope per minute of a figure over the samples, as a share of the first sample. */
    static double trendPerMinute(List<Sample> measured, Figure f) {
        int n = measured.size();
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (Sample s : measured) {
            mx += s.minute;
            my += f.read.applyAsLong(s);
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (Sample s : measured) {
            num += (s.minute - mx) * (f.read.applyAsLong(s) - my);
            den += (s.minute - mx) * (s.minute - mx);
        }
        double first = f.read.applyAsLong(measured.get(0));
        return den == 0 || first == 0 ? 0 : num / den / first;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
