package dev.agentdeck.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start to the first painted frame of the main window, of a real launcher: it is started {@code --runs}
 * times with {@code --measure-startup} (on a home that already has its demo workspace, as every start after the
 * first) and the time from spawning it to its "first frame" line is taken, next to the figure the app gives
 * (from its own process start). The first start on a fresh home (the demo workspace written) is shown apart.
 *
 * <pre>
 * --launcher PATH   the launcher (default: the app image, target/native/image/AgentDeck/bin/AgentDeck);
 *                   "jar" runs java -jar target/agentdeck.jar (--jar PATH for another); "bare" a JavaFX
 *                   window with one label ({@link BareWindow}), the floor under the figure on this machine
 * --runs N          measured starts (default 10)
 * --headless        Monocle instead of the display in DISPLAY
 * --drop-caches     drop the page cache before each start (root only): cold disk too
 * --java-options S  extra JVM options, for the "jar" launcher only (e.g. "-XX:TieredStopAtLevel=1")
 * </pre>
 */
public final class StartupBenchmark {
    private static final Pattern FIRST_FRAME = Pattern.compile("first frame: (\\d+) ms");

    record Start(double wallMs, double appMs) {
    }

    public static void main(String[] args) throws Exception {
        String launcher = BenchSupport.stringArg(args, "--launcher", "target/native/image/AgentDeck/bin/AgentDeck");
        int runs = BenchSupport.intArg(args, "--runs", 10);
        boolean headless = List.of(args).contains("--headless");
        boolean dropCaches = List.of(args).contains("--drop-caches");
        String javaOptions = BenchSupport.stringArg(args, "--java-options", "");
        List<String> cmd = new ArrayList<>();
        if (launcher.equals("bare")) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BareWindow.class.getName()));
        } else if (launcher.equals("jar")) {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (!javaOptions.isBlank()) {
                cmd.addAll(List.of(javaOptions.trim().split("\\s+")));
            }
            cmd.addAll(List.of("-jar", Path.of(BenchSupport.stringArg(args, "--jar", "target/agentdeck.jar")).toAbsolutePath().toString()));
        } else {
            cmd.add(Path.of(launcher).toAbsolutePath().toString());
        }
        if (headless) {
            cmd.add("--headless");
        } else if (System.getenv("DISPLAY") == null) {
            throw new IllegalStateException("no DISPLAY: start Xvfb (Xvfb :77 &; DISPLAY=:77) or pass --headless");
        }
        if (!launcher.equals("bare")) {
            cmd.add("--measure-startup");
        }

        Path home = BenchSupport.tempHome("agentdeck-startup");
        try {
            System.out.println("Startup benchmark on " + BenchSupport.machine());
            System.out.println("launcher: " + String.join(" ", cmd) + (headless ? "" : " (DISPLAY=" + System.getenv("DISPLAY") + ")"));
            Start first = start(cmd, home, dropCaches);
            System.out.printf("first start, fresh home (writes the demo workspace): %.0f ms (app: %.0f ms)%n",
                    first.wallMs(), first.appMs());
            List<Double> wall = new ArrayList<>();
            List<Double> app = new ArrayList<>();
            long steal = BenchSupport.stealTicks();
            long began = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                Start s = start(cmd, home, dropCaches);
                wall.add(s.wallMs());
                app.add(s.appMs());
            }
            System.out.println("| figure | median (min\u2013max) |");
            System.out.println("|---|---|");
            System.out.println("| spawn to first painted frame" + (dropCaches ? ", page cache dropped" : "") + " | "
                    + BenchSupport.summary(wall, "ms") + " |");
            System.out.println("| the app's own figure (from its process start) | " + BenchSupport.summary(app, "ms") + " |");
            System.out.println("CPU stolen by the hypervisor meanwhile: "
                    + BenchSupport.stolen(steal, (System.nanoTime() - began) / 1e9));
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static Start start(List<String> cmd, Path home, boolean dropCaches) throws IOException, InterruptedException {
        if (dropCaches) {
            new ProcessBuilder("sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches").inheritIO().start().waitFor();
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_DATA_HOME", home.resolve("data").toString());
        env.remove("AGENTDECK_HOME");
        long t0 = System.nanoTime();
        Process p = pb.start();
        double wall = -1;
        double app = -1;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line).append('\n');
                Matcher m = FIRST_FRAME.matcher(line);
                if (m.find() && wall < 0) {
                    wall = (System.nanoTime() - t0) / 1e6;
                    app = Double.parseDouble(m.group(1));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the launcher did not end after its first frame:\n" + out);
        }
        if (wall < 0 || p.exitValue() != 0) {
            throw new IllegalStateException("no first frame (exit " + p.exitValue() + "):\n" + out);
        }
        return new Start(wall, app);
    }
}
