package dev.agentdeck.process;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigStore;
import dev.agentdeck.config.ConfigWatcher;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
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
    final AgentScheduler scheduler;
    private final WatchRestarter watchRestarter;
    private ConfigWatcher configWatcher;
    private HistoryStore history = HistoryStore.off("history is not open yet");
    /** Guarded by itself; {@link #ordered} and {@link #byId} are copies read without a lock. */
    private final Map<String, AgentSupervisor> supervisors = new LinkedHashMap<>();
    private volatile List<AgentSupervisor> ordered = List.of();
    private volatile Map<String, AgentSupervisor> byId = Map.of();

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
        if (Signals.becomeSubreaper()) {
            monitor.addListener(new OrphanReaper(monitor::scanWithin));
        }
        this.ctx = new EngineContext(workspace, settings, monitor.table(), hub, workers, timer, monitor);
        this.discoverySerial = new SerialExecutor(workers);
        this.configs = new ConfigKeeper(store, workers, loaded, problems,
                spec -> ctx.planner.check(spec, "agent \"" + spec.id() + "\""));
        for (AgentSpec spec : configs.config().agents()) {
            supervisors.put(spec.id(), new AgentSupervisor(ctx, spec));
        }
        publishOrder();
        this.sampler = new MetricsSampler(ctx.table, HostMetrics.forThisOs(), this::sampleTargets,
                settings.metricsIntervalMs(), settings.backgroundMetricsMs(), this::onSamples, name);
        monitor.addListener(sampler::onScan);
        this.rotator = new LogRotator(ctx.logs, settings.logMaxBytes(), settings.logKeep(), timer, workers, this::activeIds);
        ctx.rotator = rotator;
        java.util.function.Supplier<List<AgentSpec>> running = () -> dev.agentdeck.core.Instances.expand(agents());
        this.scheduler = new AgentScheduler(running, java.time.Clock.systemDefaultZone(), timer, this::status, this::start, hub);
        this.watchRestarter = new WatchRestarter(workspace, running, this::find, hub, timer, workers, WatchRestarter.DEBOUNCE_MS, name);
    }

    /**
     * Opens the engine of a workspace. A broken agents.json does not stop it: it opens with no agents, reports
     * the problems through {@link #configProblems()}, never writes over the file, and loads it once it is fixed.
     */
    public static LocalEngine open(Workspace workspace) throws IOException {
        Files.createDirectories(workspace.configDir());
        Files.createDirectories(workspace.logsDir());
        Files.createDirectories(workspace.runDir());
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
        // runs recorded as open whose process is gone ended while no engine watched them
        engine.statuses().stream().filter(st -> !st.state().hasProcess())
                .forEach(st -> engine.history.endOpenRuns(st.id(), "ended while no AgentDeck engine was running; exit code unknown"));
        return engine;
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
        hub.subscribe(new HistoryRecorder(history, engineRun, id -> agents().stream().filter(a -> a.id().equals(id)).findFirst()));
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
        return configs.config().agents();
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
        return scheduler.nextRun(id);
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
        return configs.mutate(cfg -> {
            if (cfg.agent(spec.id()).isPresent()) {
                throw new EngineException(ErrorCode.INVALID, "agent \"" + spec.id() + "\" was not added: the id is taken",
                        List.of(SpecValidator.where(cfg.agents().size(), spec.id()) + ": id \"" + spec.id()
                                + "\" is already used by agents[" + cfg.indexOf(spec.id()) + "]"));
            }
            return cfg.with(spec);
        }, spec).thenApply(cfg -> {
            added(spec);
            return spec;
        });
    }

    @Override
    public CompletableFuture<AgentSpec> updateAgent(AgentSpec spec) {
        return configs.mutate(cfg -> {
            if (cfg.agent(spec.id()).isEmpty()) {
                throw notFound(spec.id());
            }
            return cfg.with(spec);
        }, spec).thenApply(cfg -> {
            changed(spec);
            return spec;
        });
    }

    @Override
    public CompletableFuture<Void> removeAgent(String id) {
        return with(id, s -> s.stop(false))
                .thenCompose(stopped -> configs.mutate(cfg -> cfg.without(id), null))
                .thenAccept(cfg -> removed(id));
    }

    /** Reads agents.json again (it changed on disk) and applies the difference; see {@link ProcessService}. */
    @Override
    public CompletableFuture<Void> reloadConfig() {
        return configs.reload().handle((diff, t) -> {
            if (t != null) {
                EngineException e = (EngineException) (t instanceof java.util.concurrent.CompletionException ? t.getCause() : t);
                ctx.stats.errors.incrementAndGet();
                hub.publish(null, EventType.CONFIG_INVALID, e.error().message(), Map.of("problems", e.error().details()));
                return null;
            }
            if (!diff.empty()) {
                apply(diff);
            }
            return null;
        });
    }

    private void apply(ConfigKeeper.Diff diff) {
        diff.added().forEach(this::added);
        diff.changed().forEach(this::changed);
        List<String> pending = new ArrayList<>();
        for (String id : diff.removed()) {
            AgentSupervisor s = find(id).orElse(null);
            if (s == null) {
                continue;
            }
            if (!s.status().state().hasProcess()) {
                removed(id);
            } else if (ctx.settings.stopRemovedAgents()) {
                s.stop(false).whenComplete((st, t) -> removed(id));
            } else {
                s.markRemoved();
                pending.add(id);
            }
        }
        reorder(diff.config());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("added", diff.added().stream().map(AgentSpec::id).toList());
        details.put("changed", diff.changed().stream().map(AgentSpec::id).toList());
        details.put("removed", diff.removed());
        details.put("stillRunning", pending);
        hub.publish(null, EventType.CONFIG_RELOADED, "agents.json changed on disk: " + diff.added().size() + " added, "
                + diff.changed().size() + " changed, " + diff.removed().size() + " removed"
                + (pending.isEmpty() ? "" : " (" + pending.size() + " still running until stopped)"), details);
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

    private void removed(String id) {
        synchronized (supervisors) {
            supervisors.remove(id);
            publishOrder();
        }
        hub.publish(id, EventType.AGENT_REMOVED, "agent removed", Map.of());
    }

    /** Keeps the supervisors in the config's order, with agents waiting for removal at the end. */
    private void reorder(WorkspaceConfig config) {
        synchronized (supervisors) {
            Map<String, AgentSupervisor> next = new LinkedHashMap<>();
            config.agents().forEach(a -> next.put(a.id(), supervisors.get(a.id())));
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
        scheduler.close();
        watchRestarter.close();
        sampler.close();
        rotator.close();
        hub.close();
        history.close();
        ctx.monitor.close();
        ctx.launcher.close();
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
