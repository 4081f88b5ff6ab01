package dev.agentdeck.process;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigStore;
import dev.agentdeck.config.FileStamp;
import dev.agentdeck.config.Settings;
import dev.agentdeck.config.SettingsStore;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.config.WorkspaceConfig;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.os.ProcessTable;
import dev.agentdeck.os.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The in-process engine of one workspace: loads its config, runs one {@link AgentSupervisor} per agent,
 * saves config changes atomically, and publishes every change. Owns its threads; nothing is static, so
 * several engines can live in one JVM.
 */
public final class LocalEngine implements ProcessService {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEngine.class);
    private static final long IDLE_SCAN_MS = 10_000;
    private static final long BUSY_SCAN_MS = 20;

    private final Workspace workspace;
    private final ConfigStore store;
    private final EngineContext ctx;
    private final EventHub hub;
    private final SerialExecutor configSerial;
    private final Map<String, AgentSupervisor> supervisors = new LinkedHashMap<>();
    private volatile List<AgentSupervisor> ordered = List.of();
    private volatile WorkspaceConfig config;
    private volatile List<Problem> configProblems;
    private FileStamp stamp;

    private LocalEngine(Workspace workspace, Settings settings, ConfigStore store, ConfigStore.Loaded loaded,
                        List<Problem> configProblems) {
        this.workspace = workspace;
        this.store = store;
        String name = workspace.dataDir().getFileName() == null ? "engine" : workspace.dataDir().getFileName().toString();
        this.hub = new EventHub(name);
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), daemonThreads("agentdeck-worker-" + name));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads("agentdeck-timer-" + name));
        timer.setRemoveOnCancelPolicy(true);
        ProcessMonitor monitor = new ProcessMonitor(ProcessTable.forThisOs(), IDLE_SCAN_MS, BUSY_SCAN_MS, name);
        if (Signals.becomeSubreaper()) {
            monitor.addListener(new OrphanReaper());
        }
        this.ctx = new EngineContext(workspace, settings, monitor.table(), hub, workers, timer, monitor);
        this.configSerial = new SerialExecutor(workers);
        this.config = loaded.config();
        this.stamp = loaded.stamp();
        this.configProblems = List.copyOf(configProblems);
        for (AgentSpec spec : config.agents()) {
            supervisors.put(spec.id(), new AgentSupervisor(ctx, spec));
        }
        ordered = List.copyOf(supervisors.values());
    }

    /**
     * Opens the engine of a workspace. A broken agents.json does not stop it: it opens with no agents, reports
     * the problems through {@link #configProblems()}, and never writes over the file.
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
        if (!problems.isEmpty()) {
            LOG.warn("{} has problems; no agent is loaded:\n  {}", workspace.agentsFile(),
                    problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
            engine.hub.publish(null, EventType.CONFIG_INVALID, "the configuration has " + problems.size()
                    + " problem(s); nothing was changed", Map.of("problems", problems.stream().map(Problem::toString).toList()));
        }
        return engine;
    }

    /** Starts the agents marked {@code autostart} (and what they depend on). */
    public CompletableFuture<BulkResult> startAutostart() {
        Set<String> ids = agents().stream().filter(AgentSpec::autostart).map(AgentSpec::id)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        return ids.isEmpty() ? CompletableFuture.completedFuture(new BulkResult(List.of()))
                : BulkActions.start(agents(), ids, this::start, this::currentStatus);
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
        return config.agents();
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
        return configProblems;
    }

    @Override
    public List<AgentEvent> recentEvents(long afterSeq) {
        return hub.recentEvents(afterSeq);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return hub.subscribe(listener);
    }

    /** Waits until every update published so far has reached the listeners. */
    public void flushEvents() {
        hub.flush();
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
        return BulkActions.start(specs, specs.stream().map(AgentSpec::id).collect(Collectors.toSet()), this::start,
                this::currentStatus);
    }

    @Override
    public CompletableFuture<BulkResult> stopAll() {
        List<AgentSpec> specs = agents();
        return BulkActions.stop(specs, specs.stream().map(AgentSpec::id).collect(Collectors.toSet()), this::stop,
                this::currentStatus);
    }

    // ---- configuration --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<List<Problem>> validate(AgentSpec spec) {
        return CompletableFuture.supplyAsync(() -> problemsOf(config.with(spec), spec), ctx.workers);
    }

    @Override
    public CompletableFuture<AgentSpec> addAgent(AgentSpec spec) {
        return mutate(cfg -> {
            if (cfg.agent(spec.id()).isPresent()) {
                throw new EngineException(ErrorCode.INVALID, "agent \"" + spec.id() + "\" was not added: the id is taken",
                        List.of(SpecValidator.where(cfg.agents().size(), spec.id()) + ": id \"" + spec.id()
                                + "\" is already used by agents[" + cfg.indexOf(spec.id()) + "]"));
            }
            return cfg.with(spec);
        }, spec).thenApply(cfg -> {
            synchronized (supervisors) {
                supervisors.put(spec.id(), new AgentSupervisor(ctx, spec));
                ordered = List.copyOf(supervisors.values());
            }
            AgentStatus initial = supervisors.get(spec.id()).status();
            hub.publish(initial);
            hub.publish(spec.id(), EventType.AGENT_ADDED, "agent added", Map.of());
            return spec;
        });
    }

    @Override
    public CompletableFuture<AgentSpec> updateAgent(AgentSpec spec) {
        return mutate(cfg -> {
            if (cfg.agent(spec.id()).isEmpty()) {
                throw notFound(spec.id());
            }
            return cfg.with(spec);
        }, spec).thenApply(cfg -> {
            find(spec.id()).ifPresent(s -> s.updateSpec(spec));
            hub.publish(spec.id(), EventType.AGENT_CHANGED, "configuration changed", Map.of());
            return spec;
        });
    }

    @Override
    public CompletableFuture<Void> removeAgent(String id) {
        return with(id, s -> s.stop(false))
                .thenCompose(stopped -> mutate(cfg -> cfg.without(id), null))
                .thenAccept(cfg -> {
                    synchronized (supervisors) {
                        supervisors.remove(id);
                        ordered = List.copyOf(supervisors.values());
                    }
                    hub.publish(id, EventType.AGENT_REMOVED, "agent removed", Map.of());
                });
    }

    /**
     * Applies a change to the config on the config executor: validate the result, save it atomically, then
     * make it current. Anything refused leaves the file and the engine as they were.
     */
    private CompletableFuture<WorkspaceConfig> mutate(Function<WorkspaceConfig, WorkspaceConfig> change, AgentSpec changed) {
        CompletableFuture<WorkspaceConfig> f = new CompletableFuture<>();
        configSerial.execute(() -> {
            try {
                if (!configProblems.isEmpty()) {
                    throw new EngineException(ErrorCode.CONFLICT, workspace.agentsFile().getFileName()
                            + " has problems; fix the file first (it was not changed)",
                            configProblems.stream().map(Problem::toString).toList());
                }
                WorkspaceConfig next = change.apply(config);
                List<Problem> problems = problemsOf(next, changed);
                if (!problems.isEmpty()) {
                    throw new EngineException(ErrorCode.INVALID, (changed == null ? "the change" : "agent \""
                            + changed.id() + "\"") + " was not saved: " + problems.size() + " problem"
                            + (problems.size() == 1 ? "" : "s"), problems.stream().map(Problem::toString).toList());
                }
                stamp = store.save(next, stamp);
                config = next;
                f.complete(next);
            } catch (EngineException e) {
                f.completeExceptionally(e);
            } catch (ConfigException e) {
                f.completeExceptionally(new EngineException(ErrorCode.CONFLICT, e.getMessage().lines().findFirst().orElse(""),
                        e.problemLines()));
            } catch (IOException e) {
                f.completeExceptionally(new EngineException(ErrorCode.IO, "could not save "
                        + workspace.agentsFile() + ": " + e.getMessage()));
            }
        });
        return f;
    }

    private List<Problem> problemsOf(WorkspaceConfig next, AgentSpec changed) {
        List<Problem> problems = new ArrayList<>(SpecValidator.validate(next.agents()));
        if (changed != null) {
            problems.addAll(ctx.planner.check(changed, SpecValidator.where(next.indexOf(changed.id()), changed.id())));
        }
        return problems;
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
        hub.close();
        ctx.monitor.close();
        ctx.launcher.close();
        ctx.timer.shutdownNow();
        ctx.workers.shutdown();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private Optional<AgentSupervisor> find(String id) {
        synchronized (supervisors) {
            return Optional.ofNullable(supervisors.get(id));
        }
    }

    private AgentStatus currentStatus(String id) {
        return status(id).orElse(AgentStatus.initial(id, id));
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
