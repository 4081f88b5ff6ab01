package dev.agentdeck.process;

import dev.agentdeck.config.Settings;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.discovery.PidFiles;
import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.os.ProcessTable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** What every agent's state machine of one engine shares. Owned by {@link LocalEngine}; nothing static. */
final class EngineContext {
    final Workspace workspace;
    final AgentLogs logs;
    final PidFiles pidFiles;
    final LaunchPlanner planner;
    final Launcher launcher;
    final ProcessTable table;
    final ProcessMonitor monitor;
    final TreeStopper stopper;
    /** Makes each run's unit (a cgroup, or tracking) and keeps tracked units current. */
    final RunUnits units;
    /** Tells which agent a process that left every tree belongs to. */
    final ProcessOwners owners;
    /** Finds the daemon a launcher left (daemon mode). */
    final DaemonFinder daemons;
    final EventHub hub;
    final ExecutorService workers;
    final ScheduledExecutorService timer;
    /** The small scheduled pool health probes run on (a TCP connect blocks its thread up to its timeout). */
    final ScheduledExecutorService probes;
    /** One HTTP client for all HTTP probes, made on first use. */
    final Supplier<HttpClient> http;
    final StatsCounter stats = new StatsCounter();
    /** Set once by the engine after construction; told when an agent is launched. */
    volatile dev.agentdeck.logs.LogRotator rotator;
    /** Main PIDs of live runs, so the stopper never takes one agent's process for another's orphan. */
    final Set<Long> liveLeaders = ConcurrentHashMap.newKeySet();
    private final AtomicInteger processes = new AtomicInteger();
    volatile Settings settings;

    EngineContext(Workspace workspace, Settings settings, ProcessTable table, EventHub hub, ExecutorService workers,
                  ScheduledExecutorService timer, ProcessMonitor monitor, boolean subreaper) {
        this.workspace = workspace;
        this.settings = settings;
        this.logs = new AgentLogs(workspace.logsDir());
        this.pidFiles = new PidFiles(workspace.runDir());
        this.planner = new LaunchPlanner(workspace, dev.agentdeck.os.UserEnvironment.current());
        this.launcher = new Launcher(workspace.dataDir().getFileName() == null ? "engine" : workspace.dataDir().getFileName().toString());
        this.table = table;
        this.monitor = monitor;
        this.units = RunUnits.detect(workspace.dataDir(), table, settings.containment(), subreaper);
        monitor.addListener(units);
        this.owners = new ProcessOwners(table, workspace.dataDir().toString(), workspace.logsDir());
        this.daemons = new DaemonFinder(table, owners);
        this.stopper = new TreeStopper(monitor, owners, liveLeaders::contains);
        monitor.addListener(stopper);
        this.hub = hub;
        this.workers = workers;
        this.timer = timer;
        ScheduledThreadPoolExecutor probePool = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "agentdeck-probe");
            t.setDaemon(true);
            return t;
        });
        probePool.setRemoveOnCancelPolicy(true);
        this.probes = probePool;
        this.http = memoize(() -> HttpClient.newBuilder().executor(probes).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    private static <T> Supplier<T> memoize(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /** Takes one of the {@code maxAgents} process slots; false when all are taken. */
    boolean takeSlot() {
        int max = settings.maxAgents();
        while (true) {
            int n = processes.get();
            if (n >= max) {
                return false;
            }
            if (processes.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void releaseSlot() {
        processes.decrementAndGet();
    }

    int processesRunning() {
        return processes.get();
    }
}
