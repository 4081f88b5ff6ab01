package dev.agentdeck.bench;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.process.LocalEngine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The supervision benchmark (issue 3): {@code agentdeck serve} from the packaged jar supervises N agents
 * (default 100, `sleep`), each with a TCP health check every 5 s, for a measured window (default 60 s) after
 * a warm-up. Three configurations: every agent sampled at 1 Hz; the default sampling (agents nobody
 * watches every 5 s; here nobody watches); and the default sampling without health checks, as the peers run. Prints the serve JVM's CPU seconds per minute and RSS from /proc,
 * then the cost of one agent sample measured in-process. Needs {@code mvn package} first; the bench profile
 * runs after it:
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.SupervisionBenchmark -Dbench.args=}.
 */
public final class SupervisionBenchmark {
    /** The JVM options a headless engine runs with. */
    static final List<String> SERVE_JVM = List.of("-XX:+UseSerialGC", "-Xms4m", "-Xmx32m", "-XX:MaxHeapFreeRatio=20",
            "-XX:MinHeapFreeRatio=5", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-Xss256k",
            "-XX:ReservedCodeCacheSize=16m", "-XX:-UsePerfData");

    private SupervisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = BenchSupport.intArg(args, "--agents", 100);
        int seconds = BenchSupport.intArg(args, "--seconds", 60);
        int warmup = BenchSupport.intArg(args, "--warmup", 15);
        Path jar = Path.of("target/agentdeck.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run mvn package first");
        }
        System.out.println("AgentDeck supervision benchmark: " + n + " agents, tcp check every 5 s, " + seconds
                + " s measured after " + warmup + " s warm-up");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("serve JVM: " + String.join(" ", SERVE_JVM));
        try (ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        listener.accept().close();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String a = runServe(jar, n, seconds, warmup, listener.getLocalPort(), 1000, 1000);
            String b = runServe(jar, n, seconds, warmup, listener.getLocalPort(), 1000, 5000);
            String c = runServe(jar, n, seconds, warmup, 0, 1000, 5000);
            String sample = sampleCost(n);
            System.out.println();
            System.out.println("| configuration (N = " + n + ", " + seconds + " s, serve) | CPU-s per minute | RSS at end (max) |");
            System.out.println("|---|---|---|");
            System.out.println("| every agent sampled at 1 Hz, tcp check every 5 s | " + a + " |");
            System.out.println("| default sampling (unwatched agents every 5 s), tcp check every 5 s | " + b + " |");
            System.out.println("| default sampling, no health checks (as supervisord and PM2 run) | " + c + " |");
            System.out.println("| one agent sample (stat read, tree sum, limits) | " + sample + " | |");
        }
    }

    private static Path home(int n, int port, long metricsMs, long backgroundMs) throws IOException {
        Path home = BenchSupport.tempHome("agentdeck-bench-supervise-");
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"a").append(i)
                    .append("\", \"command\": \"sleep\", \"args\": [\"3600\"], \"autostart\": true");
            if (port > 0) {
                json.append(", \"healthCheck\": {\"type\": \"tcp\", \"port\": ").append(port)
                        .append(", \"intervalMs\": 5000, \"timeoutMs\": 1000}");
            }
            json.append("}");
        }
        Files.writeString(home.resolve("agents.json"), json.append("]}"));
        Files.writeString(home.resolve("settings.json"), "{\"metricsIntervalMs\": " + metricsMs
                + ", \"backgroundMetricsMs\": " + backgroundMs + ", \"stopAllOnExit\": true}");
        return home;
    }

    private static String runServe(Path jar, int n, int seconds, int warmup, int port, long metricsMs, long backgroundMs)
            throws Exception {
        Path home = home(n, port, metricsMs, backgroundMs);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SERVE_JVM);
        cmd.addAll(List.of("-jar", jar.toString(), "--home", home.toString(), "serve", "--api-port", "0"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String first = out.readLine();
            if (first == null || !first.startsWith("AgentDeck engine serving")) {
                throw new IllegalStateException("serve did not start: " + first);
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
            long running = Files.list(home.resolve("run")).count();
            if (running < n) {
                throw new IllegalStateException("only " + running + " of " + n + " agents run");
            }
            long steal0 = stealTicks();
            long cpu0 = cpuTicks(p.pid());
            long t0 = System.nanoTime();
            long maxRss = 0;
            for (int s = 0; s < seconds; s++) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                maxRss = Math.max(maxRss, rssKb(p.pid()));
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (cpuTicks(p.pid()) - cpu0) / 100.0;
            double stealShare = (stealTicks() - steal0) / 100.0 / elapsed / Runtime.getRuntime().availableProcessors();
            long rss = rssKb(p.pid());
            double perMinute = cpuSeconds / elapsed * 60;
            System.out.printf(Locale.ROOT, "metrics %d ms / background %d ms: %.3f CPU-s per minute, RSS %.1f MiB (max %.1f); "
                    + "CPU stolen by the hypervisor meanwhile: %.0f %%%n", metricsMs, backgroundMs, perMinute, rss / 1024.0,
                    maxRss / 1024.0, stealShare * 100);
            return String.format(Locale.ROOT, "%.3f | %.1f MiB (%.1f)", perMinute, rss / 1024.0, maxRss / 1024.0);
        } finally {
            p.destroy(); // SIGTERM: serve stops its agents (stopAllOnExit) and exits
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            BenchSupport.deleteTree(home);
        }
    }

    /** The cost of one agent sample, from an in-process engine sampling N agents at 5 Hz for 10 s. */
    private static String sampleCost(int n) throws Exception {
        Path home = BenchSupport.tempHome("agentdeck-bench-sample-");
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"a").append(i).append("\", \"command\": \"sleep\", \"args\": [\"600\"]}");
        }
        Files.writeString(home.resolve("agents.json"), json.append("]}"));
        Files.writeString(home.resolve("settings.json"), "{\"metricsIntervalMs\": 200, \"backgroundMetricsMs\": 200}");
        try (LocalEngine engine = LocalEngine.open(Workspace.home(home))) {
            engine.startAll().get(60, TimeUnit.SECONDS);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(10));
            String cost = engine.samplerCost();
            engine.stopAll().get(60, TimeUnit.SECONDS);
            System.out.println("sampler: " + cost);
            return cost.replaceAll(".*samples, ([0-9.]+ µs) each.*", "$1");
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static long stealTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        return f.length > 8 ? Long.parseLong(f[8]) : 0;
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
