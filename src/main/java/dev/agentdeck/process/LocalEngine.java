package dev.agentdeck.process;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigStore;
import dev.agentdeck.config.ConfigWatcher;
import dev.agentdeck.config.HomePermissions;
import dev.agentdeck.config.PrivateFiles;
import dev.agentdeck.config.Templates;
import dev.agentdeck.config.Settings;
import dev.agentdeck.config.SettingsStore;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.config.WorkspaceConfig;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.DiscoveryReport;
import dev.agentdeck.discovery.Discovery;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EngineStats;
import dev.agentdeck.core.EngineSummary;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.history.HistorySettings;
import dev.agentdeck.history.HistoryStore;
import dev.agentdeck.history.HistorySummary;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.logs.LogRotator;
import dev.agentdeck.metrics.AgentSample;
import dev.agentdeck.metrics.HostMetrics;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.metrics.MetricsSampler;
import dev.agentdeck.metrics.SampleBatch;
import dev.agentdeck.os.ProcessTable;
import dev.agentdeck.os.Signals;
import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ExportFormat;
import dev.agentdeck.transfer.Exporters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The in-process engine of one workspace: runs one {@link AgentSupervisor} per agent, samples their
 * resources, rotates their logs, follows agents.json as it changes, and publishes every change. Owns its
 * threads; nothing is static, so several engines can live in one JVM.
 */
public final class LocalEngine implements ProcessService {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    /** Full scans refresh tree membership and reap orphans; starts and stops ask for earlier ones. */
    private static final long IDLE_SCAN_MS = 60_000;
    private static final long BUSY_SCAN_MS = 20;
    private static final long CONFIG_DEBOUNCE_MS = 200;

    private final Workspace workspace;
    private final EngineContext ctx;
    private final EventHub hub;
    private final ConfigKeeper configs;
    private final SerialExecutor discoverySerial;
    private final MetricsSampler sampler;
    private final LogRotator rotator;
    /** Made once discovery at open is done, so no schedule starts an agent an earlier engine left running. */
    volatile AgentScheduler scheduler;
    private volatile WatchRestarter watchRestarter;
    private ConfigWatcher configWatcher;
    private HistoryStore history = HistoryStore.off("history is not open yet");
    /** Guarded by itself; {@link #ordered} and {@link #byId} are copies read without a lock. */
    private final Map<String, AgentSupervisor> supervisors = new LinkedHashMap<>();
    private final Object syncLock = new Object();
    /** Supervisors being stopped because their agent left the config; a sync that brings the id back makes a new one. */
    private final Set<AgentSupervisor> leaving = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile List<AgentSupervisor> ordered = List.of();
    private volatile Map<String, AgentSupervisor> byId = Map.of();
    /** The agents of the config in force, instances expanded ({@link Instances}); replaced under {@link #supervisors}. */
    private volatile List<AgentSpec> expanded;

    private LocalEngine(Workspace workspace, Settings settings, ConfigStore store, ConfigStore.Loaded loaded,
                        List<Problem> problems) {
        this.workspace = workspace;
        String name = workspace.dataDir().getFileName() == null ? "engine" : workspace.dataDir().getFileName().toString();
        this.hub = new EventHub(name);
        int poolSize = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        java.util.concurrent.ThreadPoolExecutor workers = new java.util.concurrent.ThreadPoolExecutor(poolSize, poolSize,
                30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), daemonThreads("agentdeck-worker-" + name));
        workers.allowCoreThreadTimeOut(true); // an idle engine keeps no idle threads (memory)
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("agentdeck-timer-" + name));
        timer.setRemoveOnCancelPolicy(true);
        ProcessMonitor monitor = new ProcessMonitor(ProcessTable.forThisOs(), IDLE_SCAN_MS, BUSY_SCAN_MS, name);
        boolean subreaper = Signals.becomeSubreaper();
        if (subreaper) {
            monitor.addListener(new OrphanReaper(monitor::scanWithin));
        }
        this.ctx = new EngineContext(workspace, settings, monitor.table(), hub, workers, timer, monitor, subreaper);
        LOG.info("containment: {}", ctx.units.info().describe());
        this.discoverySerial = new SerialExecutor(workers);
        this.configs = new ConfigKeeper(store, workers, loaded, problems,
                spec -> ctx.planner.check(spec, "agent \"" + spec.id() + "\""));
        this.expanded = Instances.expand(configs.config().agents());
        for (AgentSpec spec : expanded) {
            supervisors.put(spec.id(), new AgentSupervisor(ctx, spec));
        }
        publishOrder();
        this.sampler = new MetricsSampler(ctx.table, HostMetrics.forThisOs(), this::sampleTargets,
                settings.metricsIntervalMs(), settings.backgroundMetricsMs(), this::onSamples, name);
        monitor.addListener(sampler::onScan);
        this.rotator = new LogRotator(ctx.logs, settings.logMaxBytes(), settings.logKeep(), timer, workers, this::activeIds,
                (agentId, message) -> {
                    ctx.stats.errors.incrementAndGet();
                    hub.publish(agentId, EventType.ERROR, message, Map.of());
                });
        ctx.rotator = rotator;
    }

    /**
     * Opens the engine of a workspace. A broken agents.json does not stop it: it opens with no agents, reports
     * the problems through {@link #configProblems()}, never writes over the file, and loads it once it is fixed.
     */
    public static LocalEngine open(Workspace workspace) throws IOException {
        HomePermissions.Tightened tightened = HomePermissions.tighten(workspace); // before anything is written
        PrivateFiles.createDirectories(workspace.configDir());
        PrivateFiles.createDirectories(workspace.logsDir());
        PrivateFiles.createDirectories(workspace.runDir());
        List<Problem> problems = new ArrayList<>();
        Settings settings = Settings.DEFAULT;
        try {
            settings = new SettingsStore(workspace.settingsFile()).load();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        ConfigStore store = new ConfigStore(workspace.agentsFile());
        ConfigStore.Loaded loaded;
        try {
            loaded = store.load();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
            loaded = new ConfigStore.Loaded(WorkspaceConfig.EMPTY, null);
        }
        LocalEngine engine = new LocalEngine(workspace, settings, store, loaded, problems);
        engine.openHistory();
        if (tightened.any()) {
            if (tightened.failed().isEmpty()) {
                LOG.info(tightened.message());
            } else {
                LOG.warn(tightened.message());
            }
            engine.hub.publish(null, EventType.PERMISSIONS_TIGHTENED, tightened.message(), Map.of("home",
                    tightened.home().toString(), "files", tightened.files(), "folders", tightened.folders(),
                    "tokenRemoved", tightened.tokenRemoved(), "failed", tightened.failed()));
        }
        if (!problems.isEmpty()) {
            LOG.warn("{} has problems; no agent is loaded:\n  {}", workspace.agentsFile(),
                    problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
            engine.hub.publish(null, EventType.CONFIG_INVALID, "the configuration has " + problems.size()
                    + " problem(s); nothing was changed", Map.of("problems", problems.stream().map(Problem::toString).toList()));
        }
        engine.configWatcher = new ConfigWatcher(workspace.agentsFile(), engine.ctx.timer, CONFIG_DEBOUNCE_MS,
                engine::reloadConfig);
        // agents that outlived an earlier engine are found before anything could start them twice
        try {
            engine.refresh().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("discovery at start-up did not finish: {}", e.toString());
        }
        engine.sweepRunCgroups();
        // runs recorded as open whose process is gone ended while no engine watched them
        engine.statuses().stream().filter(st -> !st.state().hasProcess())
                .forEach(st -> engine.history.endOpenRuns(st.id(), "ended while no AgentDeck engine was running; exit code unknown"));
        engine.startTriggers();
        return engine;
    }

    /** Starts the schedules and the watched paths (after discovery: what runs is known). */
    private void startTriggers() {
        String name = workspace.dataDir().getFileName() == null ? "engine" : workspace.dataDir().getFileName().toString();
        scheduler = new AgentScheduler(this::agents, java.time.Clock.systemDefaultZone(), ctx.timer, this::status, this::start, hub);
        watchRestarter = new WatchRestarter(workspace, this::agents, this::find, hub, ctx.timer, ctx.workers,
                WatchRestarter.DEBOUNCE_MS, name);
    }

    /** Opens history.db and records into it from now on; a database that cannot be used switches history off. */
    private void openHistory() {
        Settings s = ctx.settings;
        history = HistoryStore.open(workspace.historyDb(), new HistorySettings(java.time.Duration.ofMinutes(s.rawSamplesMinutes()),
                java.time.Duration.ofDays(s.rollupDays()), java.time.Duration.ofDays(s.retentionDays())), problem -> {
                    ctx.stats.errors.incrementAndGet();
                    hub.publish(null, EventType.ERROR, problem, Map.of());
                });
        history.problem().ifPresent(problem -> {
            ctx.stats.errors.incrementAndGet();
            hub.publish(null, EventType.ERROR, problem, Map.of());
        });
        String engineRun = Long.toString(ctx.stats.startedAt.toEpochMilli(), 36) + "-"
                + Long.toString(Signals.selfPid(), 36);
        hub.subscribe(new HistoryRecorder(history, engineRun, id -> agents().stream().filter(a -> a.id().equals(id)).findFirst(),
                agents()));
    }

    @Override
    public AgentLogs logs() {
        return ctx.logs;
    }

    @Override
    public Optional<String> historyProblem() {
        return history.problem();
    }

    @Override
    public CompletableFuture<List<RunRecord>> runs(String agentId, int limit) {
        return query(() -> history.runs(agentId, limit));
    }

    @Override
    public CompletableFuture<List<AgentEvent>> events(EventQuery query) {
        return query(() -> history.events(query));
    }

    @Override
    public CompletableFuture<List<SamplePoint>> samples(String agentId, java.time.Instant from, java.time.Instant to, int maxPoints) {
        return query(() -> history.samples(agentId, from, to, maxPoints));
    }

    @Override
    public CompletableFuture<HistorySummary> historySummary(String agentId, java.time.Instant from, java.time.Instant to) {
        return query(() -> history.summary(agentId, from, to));
    }

    @Override
    public CompletableFuture<HistoryExport> exportAgent(String agentId) {
        AgentSpec spec = agents().stream().filter(a -> a.id().equals(agentId)).findFirst().orElse(null);
        if (spec == null) {
            return CompletableFuture.failedFuture(notFound(agentId));
        }
        return history.flush().thenCompose(v -> query(() -> history.export(agentId, dev.agentdeck.config.ConfigWriter.agent(spec))));
    }

    @Override
    public CompletableFuture<AgentSpec> importAgent(HistoryExport export) {
        AgentSpec spec;
        try {
            if (export.version() > HistoryExport.CURRENT_VERSION) {
                throw new EngineException(ErrorCode.INVALID, "the export is of version " + export.version()
                        + "; this AgentDeck reads version " + HistoryExport.CURRENT_VERSION + " and older");
            }
            if (export.spec() == null || export.agentId() == null) {
                throw new EngineException(ErrorCode.INVALID, "the export has no " + (export.spec() == null ? "\"spec\"" : "\"agentId\"")
                        + ": it is not a whole AgentDeck export (write one with ctl export or GET /api/spawn/process/{id}/export)");
            }
            spec = dev.agentdeck.config.ConfigReader.readOne(export.spec(), "the exported agent");
            if (!spec.id().equals(export.agentId())) {
                throw new EngineException(ErrorCode.INVALID, "the export's agent is \"" + spec.id() + "\" but its history is of \""
                        + export.agentId() + "\"");
            }
        } catch (dev.agentdeck.config.ConfigException e) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.INVALID, "the export cannot be imported",
                    e.problemLines()));
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
        AgentSpec existing = agents().stream().filter(a -> a.id().equals(spec.id())).findFirst().orElse(null);
        CompletableFuture<AgentSpec> added;
        if (existing == null) {
            added = addAgent(spec);
        } else if (existing.equals(spec)) {
            added = CompletableFuture.completedFuture(existing);
        } else {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.CONFLICT, "agent \"" + spec.id()
                    + "\" exists with another configuration; remove or rename it before importing (nothing was changed)"));
        }
        return added.thenCompose(a -> history.importHistory(export).thenApply(v -> a));
    }

    private interface Query<T> {
        T run() throws java.sql.SQLException;
    }

    private <T> CompletableFuture<T> query(Query<T> q) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return q.run();
            } catch (java.sql.SQLException e) {
                throw new EngineException(ErrorCode.IO, "history could not be read: " + e.getMessage());
            }
        }, ctx.workers);
    }

    /** Waits until the history written so far is committed (tests and orderly shutdown). */
    public void flushHistory() {
        flushEvents();
        history.flush().join();
    }

    /**
     * Finds agents that already run (by PID file, port, command line) and adopts them; reports stale PID files
     * (moved aside), ports held by other programs, and ambiguous matches. Only agents without a process are
     * looked for; nothing found is ever signalled.
     */
    @Override
    public CompletableFuture<DiscoveryReport> refresh() {
        CompletableFuture<DiscoveryReport> f = new CompletableFuture<>();
        discoverySerial.execute(() -> {
            try {
                f.complete(discover());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private DiscoveryReport discover() {
        List<AgentSupervisor> idle = ordered.stream()
                .filter(s -> !s.status().state().hasProcess() && !s.status().removed()).toList();
        String dataDir = ctx.workspace.dataDir().toString();
        Discovery discovery = new Discovery(ctx.table, ctx.pidFiles, Signals.selfPid(), ctx.liveLeaders::contains,
                pid -> ctx.table.environmentVariable(pid, LaunchPlanner.DATA_DIR_ENV).map(d -> !d.equals(dataDir)).orElse(false));
        List<String> adopted = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        List<String> ambiguous = new ArrayList<>();
        List<CompletableFuture<AgentStatus>> adoptions = new ArrayList<>();
        for (Discovery.Finding finding : discovery.run(idle.stream().map(AgentSupervisor::spec).toList())) {
            String id = finding.agentId();
            if (finding instanceof Discovery.Adopt a) {
                find(id).ifPresent(s -> adoptions.add(s.adopt(a)));
                adopted.add(id + ": PID " + a.pid() + " (found by " + a.how() + ")");
            } else if (finding instanceof Discovery.Stale st) {
                String msg = "stale PID file moved aside: " + st.reason();
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("pid", st.pid());
                details.put("movedTo", st.movedTo() == null ? null : st.movedTo().toString());
                hub.publish(id, EventType.PID_FILE_STALE, msg, details);
                stale.add(id + ": " + msg);
                find(id).ifPresent(sup -> strayOf(st).ifPresent(t -> sup.stopStray(t, "left by a run that ended while no engine watched it")));
            } else if (finding instanceof Discovery.Conflict c) {
                hub.publish(id, EventType.PORT_CONFLICT, c.message(), Map.of("port", c.port(), "pid", c.pid()));
                conflicts.add(id + ": " + c.message());
            } else if (finding instanceof Discovery.Ambiguous am) {
                String msg = am.pids().size() + " processes match " + am.rule() + " (PIDs " + am.pids()
                        + "); none was adopted: give the agent a \"match\" that tells them apart";
                ctx.stats.errors.incrementAndGet();
                hub.publish(id, EventType.ERROR, msg, Map.of("pids", am.pids()));
                ambiguous.add(id + ": " + msg);
            }
        }
        CompletableFuture.allOf(adoptions.toArray(CompletableFuture[]::new)).exceptionally(t -> null).join();
        return new DiscoveryReport(adopted, stale, conflicts, ambiguous);
    }

    /**
     * What a run that ended unwatched may have left: its cgroup (when it recorded one of this home's), or the
     * processes carrying its agent's identity that started no earlier than it did.
     */
    private Optional<StopTarget> strayOf(Discovery.Stale st) {
        Optional<CgroupUnit> unit = ctx.units.recorded(st.agentId(), st.cgroup());
        if (unit.isPresent()) {
            return Optional.of(new StopTarget(st.agentId(), 0, -1, false, unit.get(), Long.MAX_VALUE));
        }
        return st.startTicks() == null ? Optional.empty()
                : Optional.of(new StopTarget(st.agentId(), 0, st.startTicks(), false, new TrackedUnit(), Long.MAX_VALUE));
    }

    /** Run cgroups of earlier engines in this engine's folder that no live run owns: their processes are leftovers. */
    private void sweepRunCgroups() {
        for (var e : ctx.units.leftInFolder(byId.keySet())) {
            find(e.getKey()).ifPresent(sup -> sup.stopStrayUnlessOwn(e.getValue()));
        }
    }

    /** Starts the agents marked {@code autostart} (and what they depend on). */
    public CompletableFuture<BulkResult> startAutostart() {
        Set<String> ids = agents().stream().filter(AgentSpec::autostart).map(AgentSpec::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return ids.isEmpty() ? CompletableFuture.completedFuture(new BulkResult(List.of()))
                : BulkActions.start(agents(), ids, bulkAgents());
    }

    public Workspace workspace() {
        return workspace;
    }

    public Settings settings() {
        return ctx.settings;
    }

    // ---- queries --------------------------------------------------------------------------------------

    @Override
    public List<AgentSpec> agents() {
        return expanded;
    }

    @Override
    public List<AgentStatus> statuses() {
        return ordered.stream().map(AgentSupervisor::status).toList();
    }

    @Override
    public Optional<AgentStatus> status(String id) {
        return find(id).map(AgentSupervisor::status);
    }

    @Override
    public List<Problem> configProblems() {
        return configs.problems();
    }

    @Override
    public List<AgentEvent> recentEvents(long afterSeq) {
        return hub.recentEvents(afterSeq);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return hub.subscribe(listener);
    }

    @Override
    public EngineSummary summary() {
        return EngineSummary.of(statuses());
    }

    @Override
    public EngineStats stats() {
        return ctx.stats.snapshot();
    }

    @Override
    public dev.agentdeck.core.Containment containment() {
        return ctx.units.info();
    }

    @Override
    public Optional<HostSample> host() {
        return Optional.ofNullable(sampler.latestHost());
    }

    @Override
    public Subscription watchMetrics(String agentId) {
        AutoCloseable handle = agentId == null ? sampler.watchHost() : sampler.watch(agentId);
        return () -> {
            try {
                handle.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** When the agent's {@code schedule} starts it next, if it has one. */
    public Optional<java.time.Instant> nextScheduledRun(String id) {
        AgentScheduler s = scheduler;
        return s == null ? Optional.empty() : s.nextRun(id);
    }

    /** Waits until every update published so far has reached the listeners. */
    public void flushEvents() {
        hub.flush();
    }

    /** What the sampler measured so far and its cost per agent sample (for benchmarks). */
    public String samplerCost() {
        return sampler.costSummary();
    }

    // ---- commands -------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<AgentStatus> start(String id) {
        return with(id, AgentSupervisor::start);
    }

    @Override
    public CompletableFuture<AgentStatus> stop(String id) {
        return with(id, s -> s.stop(false));
    }

    @Override
    public CompletableFuture<AgentStatus> kill(String id) {
        return with(id, s -> s.stop(true));
    }

    @Override
    public CompletableFuture<AgentStatus> restart(String id) {
        return with(id, AgentSupervisor::restart);
    }

    @Override
    public CompletableFuture<AgentStatus> pause(String id) {
        return with(id, AgentSupervisor::pause);
    }

    @Override
    public CompletableFuture<AgentStatus> resume(String id) {
        return with(id, AgentSupervisor::resume);
    }

    @Override
    public CompletableFuture<AgentStatus> signal(String id, Signal signal) {
        return with(id, s -> s.signal(signal));
    }

    @Override
    public CompletableFuture<BulkResult> startAll() {
        List<AgentSpec> specs = agents();
        return BulkActions.start(specs, specs.stream().map(AgentSpec::id).collect(Collectors.toSet()), bulkAgents());
    }

    @Override
    public CompletableFuture<BulkResult> stopAll() {
        List<AgentSpec> specs = new ArrayList<>(agents());
        // agents removed from agents.json but still running are stopped too
        ordered.stream().filter(s -> s.status().removed()).forEach(s -> specs.add(s.spec()));
        return BulkActions.stop(specs, specs.stream().map(AgentSpec::id).collect(Collectors.toSet()), bulkAgents());
    }

    private BulkActions.Agents bulkAgents() {
        return new BulkActions.Agents() {
            @Override
            public CompletableFuture<AgentStatus> start(String id) {
                return LocalEngine.this.start(id);
            }

            @Override
            public CompletableFuture<AgentStatus> stop(String id) {
                return LocalEngine.this.stop(id);
            }

            @Override
            public AgentStatus current(String id) {
                return status(id).orElse(AgentStatus.initial(id, id));
            }

            @Override
            public CompletableFuture<AgentStatus> await(String id, DependencyCondition condition) {
                return with(id, s -> s.await(BulkActions.met(condition), st -> BulkActions.hopeless(id, condition, st),
                        ctx.settings.dependencyTimeoutSec() * 1000L, BulkActions.waitingFor(id, condition)));
            }
        };
    }

    // ---- configuration --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<Problem>> validate(AgentSpec spec) {
        return CompletableFuture.supplyAsync(() -> {
            WorkspaceConfig next = configs.config().with(spec);
            List<Problem> problems = new java.util.ArrayList<>(configs.problemsOf(next, spec));
            Long ownPid = status(spec.id()).map(AgentStatus::pid).orElse(null);
            PortHolder.of(spec.port(), ctx.table, ownPid).ifPresent(holder -> problems.add(new Problem(
                    SpecValidator.where(next.indexOf(spec.id()), spec.id()),
                    "port " + spec.port() + " is held by " + holder)));
            return problems;
        }, ctx.workers);
    }

    @Override
    public CompletableFuture<AgentSpec> addAgent(AgentSpec spec) {
        return add(List.of(spec), spec).thenApply(list -> spec);
    }

    /** An import: the machine is not checked (the agents may come from another one; a start says what is missing). */
    @Override
    public CompletableFuture<List<AgentSpec>> addAgents(List<AgentSpec> specs) {
        return add(specs, null);
    }

    private CompletableFuture<List<AgentSpec>> add(List<AgentSpec> specs, AgentSpec checkOnMachine) {
        if (specs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (specs.stream().anyMatch(s -> s.instanceOf() != null)) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.INVALID,
                    "an instance cannot be added on its own: add its definition (with \"instances\")"));
        }
        return configs.mutate(cfg -> {
            WorkspaceConfig next = cfg;
            for (AgentSpec spec : specs) {
                AgentSupervisor leftOver = find(spec.id()).filter(s -> s.status().removed()).orElse(null);
                if (leftOver != null) {
                    throw new EngineException(ErrorCode.CONFLICT, "agent \"" + spec.id() + "\" was not added: an agent of that id "
                            + "was removed from agents.json but still runs (PID " + leftOver.status().pid() + "); stop it first");
                }
                if (next.agent(spec.id()).isPresent()) {
                    throw new EngineException(ErrorCode.INVALID, "agent \"" + spec.id() + "\" was not added: the id is taken"
                            + (specs.size() > 1 ? " (none of the " + specs.size() + " agents was added)" : ""),
                            List.of(SpecValidator.where(next.agents().size(), spec.id()) + ": id \"" + spec.id()
                                    + "\" is already used by agents[" + next.indexOf(spec.id()) + "]"));
                }
                next = next.with(spec);
            }
            return next;
        }, checkOnMachine).thenCompose(cfg -> sync(false)).thenApply(r -> specs);
    }

    @Override
    public CompletableFuture<AgentSpec> updateAgent(AgentSpec spec) {
        return configs.mutate(cfg -> {
            if (cfg.agent(spec.id()).isEmpty()) {
                throw instanceOrNotFound(spec.id(), "edit");
            }
            return cfg.with(spec);
        }, spec).thenCompose(cfg -> sync(false)).thenApply(r -> spec);
    }

    @Override
    public CompletableFuture<Void> removeAgent(String id) {
        AgentSupervisor leftOver = find(id).filter(s -> s.status().removed()).orElse(null);
        if (leftOver != null) { // gone from agents.json, still running until someone stops it
            return leftOver.stop(false).handle((st, t) -> {
                removed(id, leftOver);
                return null;
            });
        }
        return configs.mutate(cfg -> {
            if (cfg.agent(id).isEmpty()) {
                throw instanceOrNotFound(id, "remove");
            }
            return cfg.without(id);
        }, null).thenCompose(cfg -> sync(false)).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<AgentSpec> definition(String id) {
        try {
            return CompletableFuture.completedFuture(definitionOf(id));
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<AgentSpec> scale(String id, int instances) {
        String entry;
        try {
            entry = definitionOf(id).id();
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (instances < 1 || instances > SpecValidator.MAX_INSTANCES) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.INVALID, "\"" + entry + "\" was not scaled: instances "
                    + instances + " must be 1 to " + SpecValidator.MAX_INSTANCES));
        }
        // read and change the entry in one step, so an edit or removal in between is neither lost nor undone
        return configs.mutate(cfg -> cfg.with(cfg.agent(entry).orElseThrow(() -> notFound(id)).toBuilder()
                        .instances(instances).build()), null)
                .thenCompose(cfg -> sync(false).thenApply(r -> cfg.agent(entry).orElseThrow()));
    }

    @Override
    public CompletableFuture<BulkResult> group(String tag, GroupAction action) {
        List<AgentSpec> specs = agents();
        Set<String> ids = specs.stream().filter(a -> a.tags().contains(tag)).map(AgentSpec::id)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (ids.isEmpty()) {
            return CompletableFuture.failedFuture(new EngineException(ErrorCode.NOT_FOUND, "no agent is tagged \""
                    + SpecValidator.printable(tag) + "\""));
        }
        return switch (action) {
            case START -> BulkActions.start(specs, ids, bulkAgents());
            case STOP -> BulkActions.stop(specs, ids, bulkAgents());
            case RESTART -> BulkActions.stop(specs, ids, bulkAgents())
                    .thenCompose(stopped -> BulkActions.start(agents(), ids, bulkAgents()));
        };
    }

    @Override
    public CompletableFuture<Templates.Loaded> templates() {
        return CompletableFuture.supplyAsync(() -> Templates.load(workspace), ctx.workers);
    }

    @Override
    public CompletableFuture<Templates.Template> saveTemplate(String agentId, String templateId, String name, String description) {
        return definition(agentId).thenApplyAsync(def -> {
            try {
                return Templates.save(workspace, templateId, name, description, def);
            } catch (IOException e) {
                throw new EngineException(ErrorCode.IO, "the template could not be saved: " + e.getMessage());
            }
        }, ctx.workers);
    }

    @Override
    public CompletableFuture<List<ExportFile>> exportAs(ExportFormat format, List<String> ids) {
        List<AgentSpec> defs = new ArrayList<>();
        try {
            if (ids.isEmpty()) {
                defs.addAll(configs.config().agents());
            }
            for (String id : ids) {
                AgentSpec def = definitionOf(id);
                if (!defs.contains(def)) {
                    defs.add(def);
                }
            }
        } catch (EngineException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> Exporters.write(format, defs, workspace.configDir()), ctx.workers);
    }

    /** The config entry of {@code id}: the agent's own, or its definition's for an instance. */
    private AgentSpec definitionOf(String id) {
        WorkspaceConfig cfg = configs.config();
        String entry = find(id).map(s -> s.spec().definitionId()).orElse(id);
        return cfg.agent(entry).orElseThrow(() -> notFound(id));
    }

    private EngineException instanceOrNotFound(String id, String verb) {
        return find(id).map(AgentSupervisor::spec).filter(s -> s.instanceOf() != null)
                .map(s -> new EngineException(ErrorCode.INVALID, "\"" + id + "\" is an instance of \"" + s.instanceOf()
                        + "\": " + verb + " \"" + s.instanceOf() + "\", whose settings all its instances share"
                        + (verb.equals("remove") ? ", or scale it down" : "")))
                .orElseGet(() -> notFound(id));
    }

    /** Reads agents.json again (it changed on disk) and applies the difference; see {@link ProcessService}. */
    @Override
    public CompletableFuture<Void> reloadConfig() {
        return configs.reload().thenCompose(diff -> diff.empty() ? CompletableFuture.completedFuture((Void) null)
                : sync(true).thenAccept(r -> { })).handle((v, t) -> {
            if (t != null) {
                dev.agentdeck.core.EngineError e = EngineException.of(t);
                ctx.stats.errors.incrementAndGet();
                hub.publish(null, EventType.CONFIG_INVALID, e.message(), Map.of("problems", e.details()));
            }
            return null;
        });
    }

    /**
     * Brings the supervisors in line with the config in force (instances expanded): new agents appear, changed
     * ones get their spec, and agents no longer there go: at once when they have no process, otherwise after
     * they are stopped (an edit here, or an outside edit with {@code stopRemovedAgents}) or marked removed
     * until someone stops them. Always syncs to the latest config, so overlapping edits converge.
     * Completes when the stops it began are done.
     */
    private CompletableFuture<ConfigSync> sync(boolean outsideEdit) {
        ConfigSync result;
        List<CompletableFuture<?>> stops = new ArrayList<>();
        synchronized (syncLock) {
            WorkspaceConfig config = configs.config();
            List<AgentSpec> next = Instances.expand(config.agents());
            Map<String, AgentSpec> before = new LinkedHashMap<>();
            ordered.stream().filter(s -> !s.status().removed() && !leaving.contains(s)).forEach(s -> before.put(s.id(), s.spec()));
            expanded = next;
            List<String> added = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            for (AgentSpec spec : next) {
                AgentSpec old = before.remove(spec.id());
                if (old == null) {
                    added(spec);
                    added.add(spec.id());
                } else if (!old.equals(spec)) {
                    changed(spec);
                    changed.add(spec.id());
                }
            }
            List<String> pending = new ArrayList<>();
            for (String id : before.keySet()) {
                AgentSupervisor s = find(id).orElse(null);
                if (s == null) {
                    continue;
                }
                if (!s.status().state().hasProcess()) {
                    removed(id, s);
                } else if (!outsideEdit || ctx.settings.stopRemovedAgents()) {
                    leaving.add(s);
                    stops.add(s.stop(false).handle((st, t) -> {
                        leaving.remove(s);
                        removed(id, s); // only this supervisor: the id may have come back meanwhile
                        return null;
                    }));
                } else {
                    s.markRemoved();
                    pending.add(id);
                }
            }
            reorder(next);
            result = new ConfigSync(added, changed, List.copyOf(before.keySet()), pending);
        }
        if (outsideEdit) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("added", result.added());
            details.put("changed", result.changed());
            details.put("removed", result.removed());
            details.put("stillRunning", result.stillRunning());
            hub.publish(null, EventType.CONFIG_RELOADED, "agents.json changed on disk: " + result.added().size() + " added, "
                    + result.changed().size() + " changed, " + result.removed().size() + " removed"
                    + (result.stillRunning().isEmpty() ? "" : " (" + result.stillRunning().size() + " still running until stopped)"), details);
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).thenApply(v -> result);
    }

    /** What a {@link #sync} did, by agent id. */
    private record ConfigSync(List<String> added, List<String> changed, List<String> removed, List<String> stillRunning) {
    }

    private void added(AgentSpec spec) {
        AgentSupervisor s = new AgentSupervisor(ctx, spec);
        synchronized (supervisors) {
            supervisors.put(spec.id(), s);
            publishOrder();
        }
        hub.publish(s.status());
        hub.publish(spec.id(), EventType.AGENT_ADDED, "agent added", Map.of());
    }

    private void changed(AgentSpec spec) {
        find(spec.id()).ifPresent(s -> s.updateSpec(spec));
        hub.publish(spec.id(), EventType.AGENT_CHANGED, "configuration changed", Map.of());
    }

    private void removed(String id, AgentSupervisor s) {
        synchronized (supervisors) {
            if (!supervisors.remove(id, s)) {
                return;
            }
            publishOrder();
        }
        hub.publish(id, EventType.AGENT_REMOVED, "agent removed", Map.of());
    }

    /** Keeps the supervisors in the config's order, with agents waiting for removal at the end. */
    private void reorder(List<AgentSpec> agents) {
        synchronized (supervisors) {
            Map<String, AgentSupervisor> next = new LinkedHashMap<>();
            agents.forEach(a -> next.put(a.id(), supervisors.get(a.id())));
            supervisors.forEach(next::putIfAbsent);
            next.values().removeIf(java.util.Objects::isNull);
            supervisors.clear();
            supervisors.putAll(next);
            publishOrder();
        }
    }

    // ---- metrics and logs -----------------------------------------------------------------------------

    private List<MetricsSampler.Target> sampleTargets() {
        List<MetricsSampler.Target> out = new ArrayList<>();
        for (AgentSupervisor s : ordered) {
            MetricsSampler.Target t = s.sampleTarget();
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private void onSamples(SampleBatch batch) {
        for (AgentSample sample : batch.agents()) {
            find(sample.agentId()).ifPresent(s -> s.onSample(sample.pid(), sample.usage()));
        }
        hub.publish(batch);
    }

    private Set<String> activeIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (AgentSupervisor s : ordered) {
            if (s.status().state().hasProcess()) {
                ids.add(s.id());
            }
        }
        return ids;
    }

    // ---- lifecycle ------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (ctx.settings.stopAllOnExit()) {
            try {
                stopAll().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stop-all on exit did not finish: {}", e.toString());
            }
        }
        detach();
    }

    /**
     * Ends supervision and leaves every agent running, whatever {@code stopAllOnExit} says: for when the user
     * chose so on closing the window, or hands the agents to another engine (which adopts them).
     */
    public void detach() {
        if (configWatcher != null) {
            configWatcher.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (watchRestarter != null) {
            watchRestarter.close();
        }
        sampler.close();
        rotator.close();
        hub.close();
        history.close();
        ctx.monitor.close();
        ctx.launcher.close();
        ctx.units.close();
        ctx.timer.shutdownNow();
        ctx.probes.shutdownNow();
        ctx.workers.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** Refreshes the lock-free copies after a change of {@link #supervisors} (called under its lock or in the constructor). */
    private void publishOrder() {
        ordered = List.copyOf(supervisors.values());
        byId = Map.copyOf(supervisors);
    }

    private Optional<AgentSupervisor> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private <T> CompletableFuture<T> with(String id, Function<AgentSupervisor, CompletableFuture<T>> action) {
        return find(id).map(action).orElseGet(() -> CompletableFuture.failedFuture(notFound(id)));
    }

    private static EngineException notFound(String id) {
        return new EngineException(ErrorCode.NOT_FOUND, "no agent with id \"" + SpecValidator.printable(id) + "\"");
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
