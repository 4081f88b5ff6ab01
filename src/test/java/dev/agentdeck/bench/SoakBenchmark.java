package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The soak (issue 9): a real {@code agentdeck serve} from the packaged jar, with the lean JVM options of
 * {@link SupervisionBenchmark#SERVE_JVM}, supervises N agents (default 200; see {@link SoakAgents}) for M minutes
 * (default 10) while crashers crash and are restarted, health checks flip, and this benchmark stops, starts and
 * restarts sleepers through the API. It follows {@code /api/spawn/events} throughout and checks that no event
 * was lost ({@link SoakStream}, {@link SoakChecks}); every {@code --sample-seconds} (default 30) it samples the
 * serve's heap after a full GC, metaspace, RSS, descriptors and threads ({@link SoakSampler}), and judges them
 * flat when the last third's median is within 10 % of the first sample after the warm-up (default 60 s).
 * Not part of CI; run after {@code mvn package}:
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.SoakBenchmark "-Dbench.args=--minutes 10"}.
 * Other options: {@code --agents}, {@code --warmup-seconds}, {@code --actions-per-second} (2), {@code --flip-seconds}
 * (10), {@code --xmx} (the serve's heap limit instead of SERVE_JVM's), {@code --seed}, {@code --keep} (keep the home).
 */
public final class SoakBenchmark {
    private static final double TOLERANCE = 0.10;

    private final SoakAgents agents;
    private final ApiClient api;
    private final SoakChecks checks = new SoakChecks();
    private final Random random;
    private final Map<String, Long> sleeperPid = new HashMap<>();
    private final Set<Long> pidsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> actions = new HashMap<>();
    private final List<Double> actionMs = new ArrayList<>();
    private final List<String> actionErrors = new ArrayList<>();
    private volatile boolean loadRunning = true;

    private SoakBenchmark(SoakAgents agents, ApiClient api, long seed) {
        this.agents = agents;
        this.api = api;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        int n = BenchSupport.intArg(args, "--agents", 200);
        int minutes = BenchSupport.intArg(args, "--minutes", 10);
        int sampleSeconds = BenchSupport.intArg(args, "--sample-seconds", 30);
        int warmup = BenchSupport.intArg(args, "--warmup-seconds", 60);
        int rate = BenchSupport.intArg(args, "--actions-per-second", 2);
        int flipSeconds = BenchSupport.intArg(args, "--flip-seconds", 10);
        String xmx = BenchSupport.stringArg(args, "--xmx", null);
        long seed = BenchSupport.intArg(args, "--seed", 9);
        boolean keep = List.of(args).contains("--keep");
        Path jar = Path.of("target/agentdeck.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run mvn package first");
        }
        List<String> jvm = new ArrayList<>(SupervisionBenchmark.SERVE_JVM);
        if (xmx != null) {
            jvm.replaceAll(o -> o.startsWith("-Xmx") ? "-Xmx" + xmx : o);
        }
        SoakAgents agents = SoakAgents.create(n);
        System.out.printf(Locale.ROOT, "AgentDeck soak: %d agents (%d sleepers the benchmark stops, starts and restarts, %d crashers, "
                + "%d HTTP and %d command health checks flipping every %d s), %d min, a sample every %d s, %d s warm-up%n", n,
                agents.sleepers.size(), agents.crashers.size(), agents.httpFlippers.size(), agents.commandFlippers.size(), flipSeconds,
                minutes, sampleSeconds, warmup);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("serve JVM: " + String.join(" ", jvm));
        System.out.println("home: " + agents.home);
        Process serve = null;
        SoakStream stream = null;
        SoakBenchmark bench = null;
        long steal0 = BenchSupport.stealTicks();
        long t0 = System.nanoTime();
        try {
            serve = startServe(jar, jvm, agents.home);
            ApiClient api = ApiClient.forWorkspace(Workspace.home(agents.home));
            bench = new SoakBenchmark(agents, api, seed);
            stream = new SoakStream(api);
            stream.start();
            bench.run(serve, stream, minutes, sampleSeconds, warmup, rate, flipSeconds);
        } finally {
            if (bench != null) {
                bench.cleanUp(serve, stream);
            } else if (serve != null) {
                serve.destroyForcibly();
            }
            agents.close();
            String out = Files.exists(agents.home.resolve("serve.out")) ? Files.readString(agents.home.resolve("serve.out")) : "";
            if (out.contains("OutOfMemoryError")) {
                System.out.println("serve ran out of heap: see " + agents.home.resolve("serve.out"));
                keep = true;
            }
            System.out.println("CPU stolen by the hypervisor during the soak: "
                    + BenchSupport.stolen(steal0, (System.nanoTime() - t0) / 1e9));
            if (keep) {
                System.out.println("kept " + agents.home);
            } else {
                BenchSupport.deleteTree(agents.home);
            }
        }
    }

    private static Process startServe(Path jar, List<String> jvm, Path home) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(), "--home", home.toString(), "serve", "--api-port", "0"));
        Path out = home.resolve("serve.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains("API: ")) {
                System.out.println("serve PID " + p.pid() + ": " + text.lines().findFirst().orElse(""));
                return p;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("serve ended with " + p.exitValue() + ": " + text);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("serve did not start in 60 s: " + Files.readString(out));
    }

    private void run(Process serve, SoakStream stream, int minutes, int sampleSeconds, int warmup, int rate, int flipSeconds)
            throws Exception {
        waitAllSpawned(stream);
        for (JsonNode p : api.get("/api/spawn/processes").path("data")) {
            if (agents.sleepers.contains(p.path("id").asText())) {
                sleeperPid.put(p.path("id").asText(), p.path("pid").asLong());
            }
        }
        SoakSampler sampler = new SoakSampler(serve.pid());
        sampler.attach();
        Thread actor = daemon("soak-actions", () -> act(rate));
        Thread flipper = daemon("soak-flips", () -> flip(flipSeconds));
        long start = System.nanoTime();
        long end = start + TimeUnit.MINUTES.toNanos(minutes);
        List<SoakSampler.Sample> measured = new ArrayList<>();
        System.out.println();
        System.out.println(SoakSampler.header() + "  events");
        for (int k = 0; ; k++) {
            long at = start + TimeUnit.SECONDS.toNanos((long) k * sampleSeconds);
            if (at > end) {
                break;
            }
            sleepUntil(at);
            if (!serve.isAlive()) {
                throw new IllegalStateException("serve ended with " + serve.exitValue() + " during the soak");
            }
            double minute = (System.nanoTime() - start) / 60e9;
            SoakSampler.Sample s = sampler.sample(minute, running());
            boolean counted = (long) k * sampleSeconds >= warmup;
            if (counted) {
                measured.add(s);
            }
            System.out.println(SoakSampler.row(s) + "  " + String.format("%6d", stream.lastSeq()) + (counted ? "" : "  (warm-up)"));
        }
        loadRunning = false;
        actor.join(10_000);
        flipper.join(10_000);
        report(stream, measured, minutes);
    }

    private void waitAllSpawned(SoakStream stream) throws InterruptedException {
        Set<String> all = new HashSet<>(agents.all());
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Set<String> spawned = new HashSet<>();
            stream.events().stream().filter(e -> e.type().equals("spawned")).forEach(e -> spawned.add(e.agent()));
            if (spawned.containsAll(all)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not every agent started within 120 s");
    }

    private int running() throws CtlException {
        return api.get("/api/spawn/processes?status=running&limit=1").path("total").asInt();
    }

    /** Stops, starts and restarts random sleepers; at most a fifth of them are stopped at any time. */
    private void act(int rate) {
        List<String> stopped = new ArrayList<>();
        long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate);
        long next = System.nanoTime();
        while (loadRunning) {
            next += period;
            sleepUntil(next);
            String id = agents.sleepers.get(random.nextInt(agents.sleepers.size()));
            String action;
            if (stopped.contains(id)) {
                action = "start";
            } else if (stopped.size() < agents.sleepers.size() / 5 && random.nextBoolean()) {
                action = "stop";
            } else {
                action = "restart";
            }
            try {
                long old = sleeperPid.get(id);
                long t = System.nanoTime();
                JsonNode data = api.post("/api/spawn/process/" + id + "/" + action, null).path("data");
                actionMs.add((System.nanoTime() - t) / 1e6);
                actions.merge(action, 1, Integer::sum);
                long pid = data.path("pid").asLong(-1);
                String state = data.path("status").asText();
                if (action.equals("stop")) {
                    checks.expect("stopped", id, old, action);
                    stopped.add(id);
                    sleeperPid.put(id, -1L);
                    expectState(id, action, state, "stopped");
                } else {
                    if (action.equals("restart")) {
                        checks.expect("restarted", id, -1, action);
                        checks.expect("stopped", id, old, action);
                    }
                    checks.expect("spawned", id, pid, action);
                    stopped.remove(id);
                    sleeperPid.put(id, pid);
                    pidsSeen.add(pid);
                    expectState(id, action, state, "running");
                }
            } catch (CtlException | RuntimeException e) {
                actionError(action + " " + id + ": " + e.getMessage());
            }
        }
    }

    private void expectState(String id, String action, String state, String wanted) {
        if (!state.equals(wanted)) {
            actionError(action + " " + id + " answered " + state + ", not " + wanted);
        }
    }

    private synchronized void actionError(String what) {
        actionErrors.add(what);
    }

    private void flip(int seconds) {
        long next = System.nanoTime();
        while (loadRunning) {
            next += TimeUnit.SECONDS.toNanos(seconds);
            sleepUntil(next);
            if (!loadRunning) {
                return;
            }
            try {
                agents.flip();
            } catch (IOException e) {
                actionError("flip: " + e.getMessage());
            }
        }
    }

    private void report(SoakStream stream, List<SoakSampler.Sample> measured, int minutes) throws Exception {
        long cut = stream.lastSeq();
        Thread.sleep(3000); // history commits once a second
        List<SoakStream.Event> events = stream.events();
        checks.stream(stream);
        checks.noErrors(events);
        checks.actions(events, cut);
        int crashes = checks.crashes(events, agents.crashers, cut);
        List<String> steady = agents.httpFlippers.stream().filter(id -> !agents.restartsOnUnhealthy(id)).toList();
        checks.healthFlips(events, steady, agents.flips(), "HTTP");
        checks.healthFlips(events, agents.commandFlippers, agents.flips(), "command");
        List<String> engineRestarted = new ArrayList<>(agents.crashers);
        agents.httpFlippers.stream().filter(agents::restartsOnUnhealthy).forEach(engineRestarted::add);
        checks.restartCounters(api, stream, engineRestarted);
        checks.history(api, events, agents.all(), cut);
        System.out.println();
        System.out.printf(Locale.ROOT, "events on the stream: %d in %d min (%s)%n", stream.lastSeq(), minutes, stream.byType());
        System.out.printf(Locale.ROOT, "API actions: %s, %d errors; latency %s%n", actions, actionErrors.size(),
                actionMs.isEmpty() ? "-" : BenchSupport.summary(actionMs, "ms"));
        actionErrors.stream().limit(10).forEach(e -> System.out.println("  " + e));
        System.out.printf(Locale.ROOT, "crashes restarted: %d; health flips: %d; HTTP probes answered: %d%n", crashes,
                agents.flips(), agents.probesAnswered());
        System.out.println("checks:");
        checks.lines.forEach(System.out::println);
        System.out.println();
        System.out.println("trend per minute (least squares over the measured samples, share of the start):");
        for (SoakSampler.Figure f : SoakSampler.FIGURES) {
            System.out.printf(Locale.ROOT, "  %s %+.2f %%%n", f.name(), SoakSampler.trendPerMinute(measured, f) * 100);
        }
        System.out.println();
        SoakSampler.table(measured, TOLERANCE).forEach(System.out::println);
        System.out.println();
        System.out.println("live bytes that grew most from the first measured sample to the last, by class:");
        SoakSampler.growth(measured.get(0), measured.get(measured.size() - 1), 8).forEach(g -> System.out.println("  " + g));
        SoakSampler.Sample third = measured.get(measured.size() - Math.max(1, measured.size() / 3));
        System.out.printf(Locale.ROOT, "and from minute %.1f (the last third) to the last:%n", third.minute());
        SoakSampler.growth(third, measured.get(measured.size() - 1), 8).forEach(g -> System.out.println("  " + g));
        System.out.println();
        System.out.println(checks.failures() == 0 && actionErrors.isEmpty() ? "no lost events" : checks.failures()
                + " check(s) failed, " + actionErrors.size() + " action error(s)");
    }

    /** Stop-all through the API, SIGTERM to serve, then SIGKILL to any process left whose environment names this home. */
    private void cleanUp(Process serve, SoakStream stream) throws InterruptedException {
        loadRunning = false;
        try {
            long t = System.nanoTime();
            api.post("/api/spawn/stop-all", null);
            System.out.printf(Locale.ROOT, "stop-all: %.0f ms%n", (System.nanoTime() - t) / 1e6);
        } catch (CtlException e) {
            System.out.println("stop-all failed: " + e.getMessage());
        }
        if (stream != null) {
            stream.awaitSeq(stream.lastSeq() + 1, 1000);
            stream.events().forEach(e -> {
                if (e.pid() > 0) {
                    pidsSeen.add(e.pid());
                }
            });
            Map<String, Long> open = stream.openLives();
            System.out.println("after stop-all, agents whose last spawned PID has no end on the stream: "
                    + (open.isEmpty() ? "none" : open));
            stream.stop();
        }
        if (serve != null) {
            serve.destroy();
            if (!serve.waitFor(60, TimeUnit.SECONDS)) {
                System.out.println("serve did not end 60 s after SIGTERM; killing it");
                serve.destroyForcibly();
            } else {
                System.out.println("serve exited with " + serve.exitValue() + " after SIGTERM");
            }
        }
        int killed = killLeftovers();
        System.out.println("processes left after serve exited: " + killed + (killed == 0 ? "" : " (killed by PID)"));
    }

    /** Kills the processes this soak started that still run: seen PIDs, and any whose environment names the home. */
    private int killLeftovers() {
        String mark = "AGENTDECK_DATA_DIR=" + Workspace.home(agents.home).dataDir();
        Set<Long> candidates = new HashSet<>(pidsSeen);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(s -> s.matches("\\d+")).forEach(s -> candidates.add(Long.parseLong(s)));
        } catch (IOException e) {
            // the seen PIDs remain
        }
        int killed = 0;
        for (long pid : candidates) {
            try {
                String env = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
                if (List.of(env.split("\0")).contains(mark)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    System.out.println("  killed leftover PID " + pid);
                    killed++;
                }
            } catch (IOException | RuntimeException e) {
                // gone, or not ours to read
            }
        }
        return killed;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
