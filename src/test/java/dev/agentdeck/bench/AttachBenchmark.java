package dev.agentdeck.bench;

import dev.agentdeck.app.HomeLock;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.process.EngineListener;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.process.Subscription;
import dev.agentdeck.remote.RemoteEngine;
import dev.agentdeck.testutil.Attached;
import dev.agentdeck.ui.util.UpdateBridge;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * What attaching costs (a panel following an engine over its API instead of in-process):
 * <ol>
 * <li><b>Event-to-ViewModel delay.</b> An engine with N sleeping agents (default 20) is restarted, stopped and
 * started agent by agent (a few hundred events) while four observers follow it: (a) a listener on the
 * {@link LocalEngine}, (b) a listener on a {@link RemoteEngine} attached over loopback, (c) an
 * {@link UpdateBridge} on the LocalEngine and (d) one on the RemoteEngine, both with the panel's period of
 * 100 ms and a sink that runs on the bridge's own thread (the hand-over to the sink; the FX thread's queue is
 * not included). Each delay runs from the moment the engine dispatched the event (a {@code System.nanoTime()}
 * stamp by the first listener on the LocalEngine, matched by seq) to the moment the observer got it.</li>
 * <li><b>The CPU a serve spends on one attached panel.</b> A real {@code agentdeck serve} child (with
 * {@link SupervisionBenchmark#SERVE_JVM}) supervises 200 sleeping agents; its CPU (utime + stime of
 * /proc/PID/stat) is measured over a window with no client, then with what a panel attaches: a RemoteEngine,
 * an UpdateBridge, a host metrics watch and one agent's watch (the selected agent); then, to say where it goes,
 * the stream alone and the watches alone; and last a second idle window, so the baseline brackets the others
 * (idle = the mean of the two). Each window also lists the serve's and the panel JVM's busiest threads
 * (/proc/PID/task) and what the panel received.</li>
 * </ol>
 * Run with {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.AttachBenchmark -Dbench.args=}
 * (options: {@code --seconds 60} per CPU window, {@code --agents 200}, {@code --latency-agents 20},
 * {@code --rounds 10}, {@code --settle 15}, {@code --breakdown 0} to skip the breakdown windows,
 * {@code --part latency|cpu}). Only processes the benchmark started are ever signalled.
 */
public final class AttachBenchmark {
    /** The panel's bridge period ({@code MainWindow.BRIDGE_PERIOD_MS}, package-private there). */
    static final long BRIDGE_PERIOD_MS = 100;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * Processes this benchmark started (the serve) or had started for it (its agents), killed on the way out if
     * still alive. Handles, not bare PIDs: a handle carries its process's start time, so a PID reused by another
     * process since is never signalled.
     */
    private static final List<ProcessHandle> STARTED = new CopyOnWriteArrayList<>();

    private AttachBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = BenchSupport.intArg(args, "--seconds", 60);
        int agents = BenchSupport.intArg(args, "--agents", 200);
        int latencyAgents = BenchSupport.intArg(args, "--latency-agents", 20);
        int rounds = BenchSupport.intArg(args, "--rounds", 10);
        int settle = BenchSupport.intArg(args, "--settle", 15);
        boolean breakdown = BenchSupport.intArg(args, "--breakdown", 1) != 0;
        String part = BenchSupport.stringArg(args, "--part", "all");
        System.out.println("AgentDeck attach benchmark");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        Runtime.getRuntime().addShutdownHook(new Thread(AttachBenchmark::killStarted, "attach-bench-cleanup"));
        Path home = BenchSupport.tempHome("agentdeck-bench-attach-");
        try {
            if (!part.equals("cpu")) {
                latency(home.resolve("latency"), latencyAgents, rounds);
            }
            if (!part.equals("latency")) {
                serveCpu(home.resolve("serve"), agents, seconds, settle, breakdown);
            }
        } finally {
            killStarted();
            BenchSupport.deleteTree(home);
        }
        System.exit(0);
    }

    // ---- 1. event-to-ViewModel delay ------------------------------------------------------------------

    /** When each observer got each event, by seq, in System.nanoTime(). */
    private static final class Arrivals {
        final String name;
        final Map<Long, Long> at = new ConcurrentHashMap<>();

        Arrivals(String name) {
            this.name = name;
        }

        void got(AgentEvent e) {
            at.putIfAbsent(e.seq(), System.nanoTime());
        }

        EngineListener listener() {
            return new EngineListener() {
                @Override
                public void onEvent(AgentEvent event) {
                    got(event);
                }
            };
        }
    }

    private static void latency(Path dir, int n, int rounds) throws Exception {
        Files.createDirectories(dir);
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"agent-").append(i)
                    .append("\", \"command\": \"sleep\", \"args\": [\"3600\"]}");
        }
        Files.writeString(dir.resolve("agents.json"), json.append("]}").toString());
        Workspace ws = Workspace.home(dir);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("agent-" + i);
        }
        Arrivals published = new Arrivals("published");
        Map<Long, Long> queuedNanos = new ConcurrentHashMap<>(); // event.time() → the first listener, wall clock
        Arrivals inListener = new Arrivals("(a) in-process listener");
        Arrivals remoteListener = new Arrivals("(b) attached listener (RemoteEngine.subscribe)");
        Arrivals inBridge = new Arrivals("(c) in-process, via UpdateBridge");
        Arrivals remoteBridge = new Arrivals("(d) attached, via UpdateBridge");
        AtomicLong inBatches = new AtomicLong();
        AtomicLong remoteBatches = new AtomicLong();
        List<AutoCloseable> closing = new ArrayList<>();
        LocalEngine engine = LocalEngine.open(ws);
        try {
            engine.subscribe(new EngineListener() { // first: the moment of dispatch
                @Override
                public void onEvent(AgentEvent e) {
                    published.got(e);
                    Instant now = Instant.now();
                    queuedNanos.put(e.seq(), Duration.between(e.time(), now).toNanos());
                }
            });
            closing.add(engine.subscribe(inListener.listener())::close);
            UpdateBridge ib = new UpdateBridge(engine, Runnable::run, b -> {
                b.events().forEach(inBridge::got);
                inBatches.incrementAndGet();
            }, BRIDGE_PERIOD_MS);
            closing.add(ib);
            closing.add(engine.watchMetrics(null)::close); // as the in-process panel does
            closing.add(engine.watchMetrics(ids.get(0))::close);
            try (Attached attached = Attached.to(engine, ws)) {
                RemoteEngine remote = attached.remote();
                closing.add(remote.subscribe(remoteListener.listener())::close);
                UpdateBridge rb = new UpdateBridge(remote, Runnable::run, b -> {
                    b.events().forEach(remoteBridge::got);
                    remoteBatches.incrementAndGet();
                }, BRIDGE_PERIOD_MS);
                closing.add(rb);
                closing.add(remote.watchMetrics(null)::close); // as the attached panel does
                closing.add(remote.watchMetrics(ids.get(0))::close);

                var started = engine.startAll().get(60, TimeUnit.SECONDS);
                if (!started.allOk()) {
                    throw new IllegalStateException("start-all failed: " + started.failures());
                }
                remember(engine.statuses());
                attached.caughtUp();
                Random rnd = new Random(42);
                int warmup = 2;
                long from = 0;
                long t0 = 0;
                for (int round = 0; round < warmup + rounds; round++) {
                    if (round == warmup) {
                        from = lastSeq(engine);
                        t0 = System.nanoTime();
                    }
                    drive(engine, ids, round, rnd);
                    remember(engine.statuses());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150 + rnd.nextInt(200)));
                }
                long to = lastSeq(engine);
                double driveSeconds = (System.nanoTime() - t0) / 1e9;
                long first = from + 1;
                List<Arrivals> observers = List.of(inListener, remoteListener, inBridge, remoteBridge);
                await("every observer got events " + first + ".." + to, Duration.ofSeconds(20), () -> observers.stream()
                        .allMatch(o -> o.at.keySet().containsAll(range(first, to))));
                long events = to - from;
                System.out.println();
                System.out.printf(Locale.ROOT, "1. Event-to-ViewModel delay: %d sleeping agents restarted / stopped / started one by one, "
                        + "%d rounds after %d warm-up: %d events in %.1f s (%.0f/s); UpdateBridge period %d ms (the panel's), "
                        + "sink run on the bridge's thread; host + one agent watched by both panels%n",
                        n, rounds, warmup, events, driveSeconds, events / driveSeconds, BRIDGE_PERIOD_MS);
                System.out.println("   measured from the engine's dispatch of the event (nanoTime stamp of its first listener, matched by seq)");
                System.out.println();
                System.out.printf(Locale.ROOT, "   %-58s %9s %9s %9s%n", "observer", "p50", "p99", "max");
                long[] queued = sorted(range(first, to).stream().map(queuedNanos::get).toList());
                row("(0) engine queue: event.time() -> dispatch (wall clock)", queued);
                long[][] d = new long[observers.size()][];
                for (int i = 0; i < observers.size(); i++) {
                    Arrivals o = observers.get(i);
                    d[i] = sorted(range(first, to).stream().map(s -> o.at.get(s) - published.at.get(s)).toList());
                    row(o.name, d[i]);
                }
                System.out.printf(Locale.ROOT, "   %-58s %9s %9s %9s%n", "attached minus in-process, listener (b - a)",
                        ms(p(d[1], 0.5) - p(d[0], 0.5)), ms(p(d[1], 0.99) - p(d[0], 0.99)), "");
                System.out.printf(Locale.ROOT, "   %-58s %9s %9s %9s%n", "attached minus in-process, via bridge (d - c)",
                        ms(p(d[3], 0.5) - p(d[2], 0.5)), ms(p(d[3], 0.99) - p(d[2], 0.99)), "");
                System.out.printf(Locale.ROOT, "   batches handed to the sinks in all (warm-up included): in-process %d, attached %d%n",
                        inBatches.get(), remoteBatches.get());
                double p99d = p(d[3], 0.99) / 1e6;
                double p99b = p(d[1], 0.99) / 1e6;
                System.out.printf(Locale.ROOT, "   aim: p99 < 50 ms attached, for the ViewModel update (d): %.1f ms, %s; the bridge "
                        + "hands a state change or event over at most %d ms after its last batch (usage alone waits %d ms); "
                        + "the attached path itself (b) is %.1f ms at p99%n", p99d, p99d < 50 ? "met" : "missed",
                        dev.agentdeck.ui.util.UpdateBridge.CHANGE_GAP_MS, BRIDGE_PERIOD_MS, p99b);

                for (int i = closing.size() - 1; i >= 0; i--) {
                    closing.get(i).close();
                }
                closing.clear();
            }
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                try {
                    closing.get(i).close();
                } catch (Exception e) {
                    // closing anyway
                }
            }
            engine.stopAll().get(60, TimeUnit.SECONDS);
            engine.close();
        }
    }

    /** One round of commands, agent by agent with 10–50 ms between them: restart each, or stop each then start each. */
    private static void drive(LocalEngine engine, List<String> ids, int round, Random rnd) throws Exception {
        if (round % 2 == 0) {
            List<CompletableFuture<AgentStatus>> fs = new ArrayList<>();
            for (String id : ids) {
                fs.add(engine.restart(id));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10 + rnd.nextInt(40)));
            }
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } else {
            for (boolean stop : new boolean[]{true, false}) {
                List<CompletableFuture<AgentStatus>> fs = new ArrayList<>();
                for (String id : ids) {
                    fs.add(stop ? engine.stop(id) : engine.start(id));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10 + rnd.nextInt(40)));
                }
                CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static long lastSeq(LocalEngine engine) {
        engine.flushEvents();
        List<AgentEvent> all = engine.recentEvents(0);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
    }

    private static List<Long> range(long first, long last) {
        List<Long> out = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            out.add(s);
        }
        return out;
    }

    private static long[] sorted(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The q-quantile (nearest rank) of sorted values. */
    private static long p(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static void row(String name, long[] sorted) {
        System.out.printf(Locale.ROOT, "   %-58s %9s %9s %9s%n", name, ms(p(sorted, 0.5)), ms(p(sorted, 0.99)),
                ms(sorted[sorted.length - 1]));
    }

    // ---- 2. the CPU a serve spends on one attached panel --------------------------------------------------

    /** CPU ticks of a process, nanoseconds on a CPU of each of its threads (by tid), and the moment they were read. */
    private record CpuReading(long nanos, long ticks, Map<Long, String> names, Map<Long, Long> threads) {
    }

    /** One measured window; the client is this JVM (the attached panel's side). */
    private record Window(String name, double seconds, double cpuSeconds, double clientCpuSeconds, String steal,
                          List<String> topThreads, List<String> topClientThreads, String traffic) {
        double perMinute() {
            return cpuSeconds / seconds * 60;
        }

        double clientPerMinute() {
            return clientCpuSeconds / seconds * 60;
        }
    }

    /** What the attached panel received in a window, counted by a listener on its RemoteEngine. */
    private static final class Traffic implements EngineListener {
        final AtomicLong events = new AtomicLong();
        final AtomicLong statuses = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        final AtomicLong sampledAgents = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong batches = new AtomicLong();

        void reset() {
            for (AtomicLong a : List.of(events, statuses, samples, sampledAgents, bytes, batches, countingNanos)) {
                a.set(0);
            }
        }

        /** CPU this counting spent on the panel's reader thread (it writes each frame's JSON again to size it). */
        final AtomicLong countingNanos = new AtomicLong();

        private void count(String name, Object data) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            try { // the frame as the serve writes it: "event: NAME\ndata: JSON\n\n"
                bytes.addAndGet(Json.WIRE.writeValueAsBytes(data).length + name.length() + 16);
            } catch (IOException e) {
                // not counted
            }
            countingNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - t0);
        }

        @Override
        public void onEvent(AgentEvent e) {
            events.incrementAndGet();
            count("event", e);
        }

        @Override
        public void onStatus(AgentStatus s) {
            statuses.incrementAndGet();
            count("status", s);
        }

        @Override
        public void onSamples(SampleBatch b) {
            samples.incrementAndGet();
            sampledAgents.addAndGet(b.agents().size());
            count("samples", b);
        }

        String describe(double seconds) {
            return String.format(Locale.ROOT, "%d samples frames (%.1f/s, %d agent samples in them), %d status, %d event frames; "
                    + "~%.1f KB/s of SSE data; %d bridge batches; the benchmark's own counting of them: %.3f CPU-s per minute",
                    samples.get(), samples.get() / seconds, sampledAgents.get(), statuses.get(), events.get(),
                    bytes.get() / 1024.0 / seconds, batches.get(), countingNanos.get() / 1e9 / seconds * 60);
        }
    }

    private static void serveCpu(Path dir, int n, int seconds, int settle, boolean breakdown) throws Exception {
        Files.createDirectories(dir);
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"agent-").append(i)
                    .append("\", \"command\": \"sleep\", \"args\": [\"3600\"], \"autostart\": true}");
        }
        Files.writeString(dir.resolve("agents.json"), json.append("]}").toString());
        Workspace ws = Workspace.home(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(SupervisionBenchmark.SERVE_JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.agentdeck.Main", "--home", dir.toString(),
                "serve", "--api-port", Integer.toString(port)));
        Process serve = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.out").toFile()).start();
        long pid = serve.pid();
        STARTED.add(serve.toHandle());
        ApiClient api = null;
        try {
            await("the serve owns the home and wrote api.json", WAIT, () -> HomeLock.holder(ws).pid() == pid
                    && Files.exists(ws.apiJson()));
            api = ApiClient.forWorkspace(ws);
            waitAllRunning(api, n);
            System.out.println();
            System.out.printf(Locale.ROOT, "2. CPU of `agentdeck serve` (PID %d, %d sleeping agents, default settings: agents nobody "
                    + "watches sampled every 5 s, watched ones every 1 s) over %d s windows after %d s settling%n",
                    pid, n, seconds, settle);
            System.out.println("   serve JVM: " + String.join(" ", SupervisionBenchmark.SERVE_JVM));
            sleep(settle);

            List<Window> windows = new ArrayList<>();
            windows.add(measure("idle, no client", pid, seconds, null));

            // what a panel attaches: the stream, the bridge, the host watch and the selected agent's watch
            try (RemoteEngine remote = RemoteEngine.connect(ApiClient.forWorkspace(ws))) {
                Traffic traffic = attach(remote);
                Subscription host = remote.watchMetrics(null);
                Subscription agent = remote.watchMetrics("agent-0");
                try (UpdateBridge bridge = new UpdateBridge(remote, Runnable::run, b -> traffic.batches.incrementAndGet(),
                        BRIDGE_PERIOD_MS)) {
                    sleep(10);
                    traffic.reset();
                    windows.add(measure("one attached panel: stream + bridge + host watch + agent-0 watch", pid, seconds, traffic));
                }
                agent.close();
                host.close();
                // a closed watch is ended on the engine by a DELETE queued on RemoteWatches' timer, which the
                // RemoteEngine's close() drops if it comes at once (the watch then lingers for its 60 s lease)
                sleep(1);
            }
            if (breakdown) {
                sleep(5);
                try (RemoteEngine remote = RemoteEngine.connect(ApiClient.forWorkspace(ws))) {
                    Traffic traffic = attach(remote);
                    try (UpdateBridge bridge = new UpdateBridge(remote, Runnable::run, b -> traffic.batches.incrementAndGet(),
                            BRIDGE_PERIOD_MS)) {
                        sleep(10);
                        traffic.reset();
                        windows.add(measure("breakdown: the stream + bridge alone, no watches", pid, seconds, traffic));
                    }
                }
                sleep(5);
                windows.add(watchesOnly(ws, pid, seconds));
            }
            sleep(5);
            windows.add(measure("idle again, no client (the baseline's second half)", pid, seconds, null));

            List<Window> idles = List.of(windows.get(0), windows.get(windows.size() - 1));
            double idle = idles.stream().mapToDouble(Window::perMinute).average().orElseThrow();
            System.out.println();
            System.out.printf(Locale.ROOT, "   %-66s %10s %11s %20s%n", "window", "CPU-s/min", "above idle", "panel JVM CPU-s/min");
            for (Window w : windows) {
                System.out.printf(Locale.ROOT, "   %-66s %10.3f %11s %20.3f%n", w.name, w.perMinute(),
                        idles.contains(w) ? "" : String.format(Locale.ROOT, "%+.3f", w.perMinute() - idle), w.clientPerMinute());
            }
            System.out.printf(Locale.ROOT, "   (idle = the mean of the two idle windows, %.3f CPU-s per minute; process CPU-s from /proc/PID/stat in 10 ms ticks; threads from /proc/PID/task/*/schedstat in ns)%n",
                    idle);
            for (Window w : windows) {
                System.out.println();
                System.out.printf(Locale.ROOT, "   %s: %.3f CPU-s in %.1f s; CPU stolen by the hypervisor meanwhile: %s%n", w.name,
                        w.cpuSeconds, w.seconds, w.steal);
                if (w.traffic != null) {
                    System.out.println("     received: " + w.traffic);
                }
                System.out.println("     the serve's busiest threads (CPU-s per minute): " + String.join(", ", w.topThreads));
                System.out.println("     the panel JVM's busiest threads: " + String.join(", ", w.topClientThreads));
            }
            double above = windows.get(1).perMinute() - idle;
            System.out.println();
            System.out.printf(Locale.ROOT, "   aim: one attached panel costs the serve < 0.1 CPU-s per minute above idle: %.3f, %s%n",
                    above, above < 0.1 ? "met" : "missed");
        } finally {
            stopServe(api, serve);
        }
    }

    private static Traffic attach(RemoteEngine remote) throws InterruptedException {
        if (!remote.awaitConnected(Duration.ofSeconds(30))) {
            throw new IllegalStateException("could not attach to " + remote.connection().where() + ": " + remote.connection().reason());
        }
        Traffic traffic = new Traffic();
        remote.subscribe(traffic);
        return traffic;
    }

    /** The watches a panel holds (host and agent-0), opened and renewed as RemoteWatches does, without the stream. */
    private static Window watchesOnly(Workspace ws, long pid, int seconds) throws Exception {
        ApiClient api = ApiClient.forWorkspace(ws);
        List<String> watches = new ArrayList<>();
        watches.add(api.post("/api/deck/watch", null).path("data").path("watch").asText());
        watches.add(api.post("/api/deck/watch?agent=agent-0", null).path("data").path("watch").asText());
        ScheduledExecutorService renew = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "attach-bench-renew");
            t.setDaemon(true);
            return t;
        });
        renew.scheduleWithFixedDelay(() -> watches.forEach(w -> {
            try {
                api.post("/api/deck/watch/" + w + "/renew", null);
            } catch (CtlException e) {
                // it would be opened again; here it lapses within its lease
            }
        }), 20, 20, TimeUnit.SECONDS);
        try {
            sleep(5);
            return measure("breakdown: the host + agent-0 watches alone, no stream", pid, seconds, null);
        } finally {
            renew.shutdownNow();
            for (String w : watches) {
                api.call("DELETE", "/api/deck/watch/" + w, null);
            }
        }
    }

    private static Window measure(String name, long pid, int seconds, Traffic traffic) throws IOException {
        System.out.printf(Locale.ROOT, "   measuring %d s: %s%n", seconds, name);
        long self = ProcessHandle.current().pid();
        long steal0 = BenchSupport.stealTicks();
        CpuReading a = read(pid);
        CpuReading ca = read(self);
        sleep(seconds);
        CpuReading b = read(pid);
        CpuReading cb = read(self);
        double elapsed = (b.nanos - a.nanos) / 1e9;
        double stealShare = (BenchSupport.stealTicks() - steal0) / 100.0 / elapsed / Runtime.getRuntime().availableProcessors();
        return new Window(name, elapsed, (b.ticks - a.ticks) / 100.0, (cb.ticks - ca.ticks) / 100.0,
                String.format(Locale.ROOT, "%.0f %%", stealShare * 100), top(a, b, elapsed), top(ca, cb, elapsed),
                traffic == null ? null : traffic.describe(elapsed));
    }

    /** The busiest threads between two readings, by their (15-character) names, in CPU-s per minute. */
    private static List<String> top(CpuReading a, CpuReading b, double elapsed) {
        Map<String, Long> byName = new HashMap<>();
        b.threads.forEach((tid, ticks) -> byName.merge(b.names.get(tid).replaceAll("\\d+$", "#"),
                ticks - a.threads.getOrDefault(tid, 0L), Long::sum));
        return byName.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(9)
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue() / 1e9 / elapsed * 60))
                .collect(Collectors.toList());
    }

    private static CpuReading read(long pid) throws IOException {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> threads = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try { // schedstat's first field: nanoseconds on a CPU (stat's ticks are too coarse per thread)
                    long tid = Long.parseLong(t.getFileName().toString());
                    String name = Files.readString(t.resolve("comm")).trim();
                    threads.put(tid, Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]));
                    names.put(tid, name);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return new CpuReading(System.nanoTime(), ticks(Files.readString(Path.of("/proc/" + pid + "/stat"))), names, threads);
    }

    /** utime + stime of a /proc stat line, in clock ticks (1/100 s). */
    private static long ticks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void waitAllRunning(ApiClient api, int n) throws Exception {
        try (RemoteEngine probe = RemoteEngine.connect(api)) {
            if (!probe.awaitConnected(Duration.ofSeconds(30))) {
                throw new IllegalStateException("could not attach: " + probe.connection().reason());
            }
            BooleanSupplier allRunning = () -> probe.statuses().size() == n
                    && probe.statuses().stream().allMatch(s -> s.state() == AgentState.RUNNING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allRunning.getAsBoolean() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            if (!allRunning.getAsBoolean()) { // autostart fell short: start the rest through the API
                probe.startAll().get(120, TimeUnit.SECONDS);
                await("all " + n + " agents run", WAIT, allRunning);
            }
            remember(probe.statuses());
        }
    }

    /** Stop-all through the API, then SIGTERM to the serve; anything this benchmark started that still runs is killed. */
    private static void stopServe(ApiClient api, Process serve) throws InterruptedException {
        if (api != null && serve.isAlive()) {
            try {
                api.post("/api/deck/stop-all", null);
            } catch (CtlException e) {
                System.out.println("   stop-all through the API failed: " + e.getMessage());
            }
        }
        serve.destroy(); // SIGTERM, to the PID this benchmark started
        if (!serve.waitFor(30, TimeUnit.SECONDS)) {
            serve.destroyForcibly();
            serve.waitFor(10, TimeUnit.SECONDS);
        }
        killStarted();
    }

    private static void killStarted() {
        for (ProcessHandle h : STARTED) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
    }

    /** Keeps a handle on each agent's process, for the clean-up. */
    private static void remember(List<AgentStatus> statuses) {
        for (AgentStatus s : statuses) {
            if (s.pid() != null) {
                ProcessHandle.of(s.pid()).ifPresent(STARTED::add);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static void sleep(int seconds) {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
