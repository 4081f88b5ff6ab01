package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** What every benchmark needs: the machine's description, medians, and temp homes. */
final class BenchSupport {
    private BenchSupport() {
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException e) {
            // keep "unknown"
        }
        long memGb = 0;
        try {
            memGb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024).orElse(0L);
        } catch (IOException e) {
            // keep 0
        }
        return String.format(Locale.ROOT, "%s, %d cores, %d GiB, %s %s, Java %s", cpu,
                Runtime.getRuntime().availableProcessors(), memGb, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** "median (min–max)" of the values, in the unit given. */
    static String summary(List<Double> values, String unit) {
        return summary(values, unit, 0);
    }

    /** "median (min–max)" of the values, in the unit given, with this many decimals. */
    static String summary(List<Double> values, String unit, int decimals) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " %s (" + f + "\u2013" + f + ")", median, unit, sorted.get(0),
                sorted.get(n - 1));
    }

    static Path tempHome(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temp folder
        }
    }

    /** Clock ticks the hypervisor took from this machine's CPUs so far (the steal column of /proc/stat). */
    static long stealTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return f.length > 8 ? Long.parseLong(f[8]) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The share of CPU time stolen by the hypervisor since {@code since} ticks, over {@code seconds}. */
    static String stolen(long since, double seconds) {
        double share = (stealTicks() - since) / 100.0 / seconds / Runtime.getRuntime().availableProcessors();
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }

    static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
