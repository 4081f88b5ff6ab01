package dev.agentdeck.remote;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.config.Templates;
import dev.agentdeck.process.GroupAction;
import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ExportFormat;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DiscoveryReport;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EngineStats;
import dev.agentdeck.core.EngineSummary;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Signal;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.history.HistorySummary;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.EngineListener;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The engine facade over AgentDeck's API, for a panel attached to an engine it does not own (a {@code serve}, a
 * panel on another home, another machine). Snapshots and events come from the engine's stream and are kept as
 * received ({@link EngineMirror}); commands and queries are requests whose failures complete the futures with the
 * same {@link EngineException}s the in-process engine gives. While the engine cannot be reached, commands fail at
 * once with the reason, and nothing is shown that the engine did not send.
 */
public final class RemoteEngine implements ProcessService {
    private final ApiClient api;
    private final EngineMirror mirror;
    private final ExecutorService calls;
    private final RemoteLogSource logs;
    private final RemoteWatches watches;

    private RemoteEngine(ApiClient api) {
        this.api = api;
        this.calls = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "agentdeck-remote-call");
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) calls).allowCoreThreadTimeOut(true);
        this.mirror = new EngineMirror(api, this::completeLater);
        this.logs = new RemoteLogSource(api);
        this.watches = new RemoteWatches(api);
    }

    /** Starts following the engine behind {@code api}; the first state arrives shortly (see {@link #awaitConnected}). */
    public static RemoteEngine connect(ApiClient api) {
        RemoteEngine e = new RemoteEngine(api.pooled());
        e.mirror.start();
        return e;
    }

    /** Waits for the engine's first state; true when it came within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return mirror.awaitConnected(timeout);
    }

    @Override
    public void reconnect() {
        mirror.retryNow();
    }

    @Override
    public Connection connection() {
        return mirror.connection();
    }

    @Override
    public List<AgentSpec> agents() {
        return mirror.agents();
    }

    @Override
    public List<AgentStatus> statuses() {
        return mirror.statuses();
    }

    @Override
    public Optional<AgentStatus> status(String id) {
        return Optional.ofNullable(mirror.status(id));
    }

    @Override
    public List<Problem> configProblems() {
        return mirror.configProblems();
    }

    @Override
    public CompletableFuture<AgentStatus> start(String id) {
        return action(id, "start");
    }

    @Override
    public CompletableFuture<AgentStatus> stop(String id) {
        return action(id, "stop");
    }

    @Override
    public CompletableFuture<AgentStatus> kill(String id) {
        return action(id, "kill");
    }

    @Override
    public CompletableFuture<AgentStatus> restart(String id) {
        return action(id, "restart");
    }

    @Override
    public CompletableFuture<AgentStatus> pause(String id) {
        return action(id, "pause");
    }

    @Override
    public CompletableFuture<AgentStatus> resume(String id) {
        return action(id, "resume");
    }

    @Override
    public CompletableFuture<AgentStatus> signal(String id, Signal signal) {
        return caughtUp(id, call("POST", "/api/deck/agents/" + enc(id) + "/signal?signal=" + signal.name(), null,
                type(AgentStatus.class)));
    }

    private CompletableFuture<AgentStatus> action(String id, String action) {
        return caughtUp(id, call("POST", "/api/deck/agents/" + enc(id) + "/" + action, null, type(AgentStatus.class)));
    }

    /**
     * The reply once the mirror holds that snapshot of the agent or a newer one. A refusal waits the same way for
     * the snapshot the engine holds after it, so the agent shows what the failure left, as in-process.
     */
    private CompletableFuture<AgentStatus> caughtUp(String id, CompletableFuture<AgentStatus> reply) {
        return reply.handle((s, t) -> {
            if (t == null) {
                return holding(s).thenApply(v -> s);
            }
            CompletableFuture<AgentStatus> now = call("GET", "/api/deck/agents/" + enc(id) + "/status", null, type(AgentStatus.class));
            return now.handle((held, t2) -> t2 == null ? holding(held) : CompletableFuture.<Void>completedFuture(null))
                    .thenCompose(x -> x).<AgentStatus>thenCompose(v -> CompletableFuture.failedFuture(unwrap(t)));
        }).thenCompose(x -> x);
    }

    private CompletableFuture<Void> holding(AgentStatus s) {
        return mirror.when(m -> {
            AgentStatus held = m.status(s.id());
            return held == null || s.updatedAt() == null || (held.updatedAt() != null && !held.updatedAt().isBefore(s.updatedAt()));
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** The reply once the mirror shows every agent of a bulk action in the state it reported. */
    private CompletableFuture<BulkResult> caughtUpAll(CompletableFuture<BulkResult> reply) {
        return reply.thenCompose(b -> mirror.when(m -> b.items().stream().allMatch(i -> {
            AgentStatus held = m.status(i.id());
            return held == null || i.state() == null || held.state() == i.state();
        })).thenApply(v -> b));
    }

    /** The reply once the mirror's agent list shows the change. */
    private <T> CompletableFuture<T> listed(CompletableFuture<T> reply, Predicate<List<AgentSpec>> shows) {
        return reply.thenCompose(x -> mirror.when(m -> shows.test(m.agents())).thenApply(v -> x));
    }

    @Override
    public CompletableFuture<BulkResult> startAll() {
        return caughtUpAll(call("POST", "/api/deck/start-all", null, type(BulkResult.class)));
    }

    @Override
    public CompletableFuture<BulkResult> stopAll() {
        return caughtUpAll(call("POST", "/api/deck/stop-all", null, type(BulkResult.class)));
    }

    @Override
    public CompletableFuture<List<Problem>> validate(AgentSpec spec) {
        return call("POST", "/api/deck/validate", spec, list(Problem.class));
    }

    @Override
    public CompletableFuture<AgentSpec> addAgent(AgentSpec spec) {
        return listed(this.<AgentSpec>call("POST", "/api/deck/agents", spec, type(AgentSpec.class)),
                list -> list.stream().anyMatch(a -> a.definitionId().equals(spec.id())));
    }

    @Override
    public CompletableFuture<AgentSpec> updateAgent(AgentSpec spec) {
        CompletableFuture<AgentSpec> reply = call("PUT", "/api/deck/agents/" + enc(spec.id()), spec, type(AgentSpec.class));
        return reply.thenCompose(saved -> mirror.when(m -> shows(m.agents(), saved)).thenApply(v -> saved));
    }

    @Override
    public CompletableFuture<Void> removeAgent(String id) {
        return listed(this.<Void>call("DELETE", "/api/deck/agents/" + enc(id), null, type(Void.class)),
                list -> list.stream().noneMatch(a -> a.definitionId().equals(id)));
    }

    /**
     * Whether the list shows a saved entry as the engine runs it: each of its agents ({@link Instances#expand}) with
     * these settings (dependencies on a definition are expanded there, so they are not compared), and no other instance.
     */
    private static boolean shows(List<AgentSpec> list, AgentSpec saved) {
        for (AgentSpec want : Instances.expand(List.of(saved))) {
            if (list.stream().noneMatch(a -> a.id().equals(want.id()) && a.toBuilder().dependsOn(want.dependsOn()).build().equals(want))) {
                return false;
            }
        }
        return !saved.instanced() || showsInstances(list, saved);
    }

    @Override
    public CompletableFuture<List<AgentSpec>> addAgents(List<AgentSpec> specs) {
        return listed(this.<List<AgentSpec>>call("POST", "/api/deck/agents/batch", specs, list(AgentSpec.class)),
                list -> specs.stream().allMatch(s -> list.stream().anyMatch(a -> a.definitionId().equals(s.id()))));
    }

    @Override
    public CompletableFuture<AgentSpec> definition(String id) {
        return call("GET", "/api/deck/definitions/" + enc(id), null, type(AgentSpec.class));
    }

    @Override
    public CompletableFuture<AgentSpec> scale(String id, int instances) {
        CompletableFuture<AgentSpec> reply = call("POST", "/api/deck/scale/" + enc(id) + "?instances=" + instances, null,
                type(AgentSpec.class));
        return reply.thenCompose(def -> mirror.when(m -> showsInstances(m.agents(), def)).thenApply(v -> def));
    }

    /** Whether the list holds exactly the instances of {@code def}, and not the plain agent it may have been. */
    private static boolean showsInstances(List<AgentSpec> list, AgentSpec def) {
        java.util.Set<String> have = list.stream().filter(a -> def.id().equals(a.instanceOf())).map(AgentSpec::id)
                .collect(java.util.stream.Collectors.toSet());
        return have.equals(new java.util.HashSet<>(Instances.ids(def.id(), def.instances())))
                && list.stream().noneMatch(a -> a.id().equals(def.id()));
    }

    @Override
    public CompletableFuture<BulkResult> group(String tag, GroupAction action) {
        return caughtUpAll(call("POST", "/api/deck/groups/" + enc(tag) + "/" + action.wireName(), null, type(BulkResult.class)));
    }

    @Override
    public CompletableFuture<Templates.Loaded> templates() {
        return call("GET", "/api/deck/templates", null, type(Templates.Loaded.class));
    }

    @Override
    public CompletableFuture<Templates.Template> saveTemplate(String agentId, String templateId, String name, String description) {
        java.util.Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("templateId", templateId);
        body.put("name", name);
        body.put("description", description);
        return call("POST", "/api/deck/templates", body, type(Templates.Template.class));
    }

    @Override
    public CompletableFuture<List<ExportFile>> exportAs(ExportFormat format, List<String> ids) {
        return call("GET", "/api/deck/export-as?format=" + format.wireName()
                + (ids.isEmpty() ? "" : "&ids=" + enc(String.join(",", ids))), null, list(ExportFile.class));
    }

    @Override
    public EngineSummary summary() {
        return EngineSummary.of(statuses());
    }

    /** The engine's counters, asked for now (a short wait: not for the FX thread); the last received when unreachable. */
    @Override
    public EngineStats stats() {
        if (mirror.connection().connected()) {
            try {
                mirror.stats(this.<EngineStats>call("GET", "/api/deck/stats", null, type(EngineStats.class))
                        .get(2, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // the last received counters stand
            }
        }
        return mirror.stats();
    }

    @Override
    public Optional<HostSample> host() {
        return Optional.ofNullable(mirror.host());
    }

    @Override
    public Subscription watchMetrics(String agentId) {
        return watches.watch(agentId);
    }

    @Override
    public CompletableFuture<Void> reloadConfig() {
        return call("POST", "/api/deck/reload", null, type(Void.class));
    }

    @Override
    public CompletableFuture<DiscoveryReport> refresh() {
        return call("POST", "/api/deck/refresh", null, type(DiscoveryReport.class));
    }

    @Override
    public LogSource logs() {
        return logs;
    }

    @Override
    public dev.agentdeck.core.Containment containment() {
        dev.agentdeck.core.Containment c = mirror.containment();
        return c != null ? c : new dev.agentdeck.core.Containment(dev.agentdeck.core.Containment.Mode.GROUPS, null,
                "not reported by the engine at " + api.url());
    }

    @Override
    public Optional<String> historyProblem() {
        return Optional.ofNullable(mirror.historyProblem());
    }

    @Override
    public CompletableFuture<List<RunRecord>> runs(String agentId, int limit) {
        return call("GET", "/api/deck/runs/" + enc(agentId) + "?limit=" + Math.max(1, limit), null, list(RunRecord.class));
    }

    @Override
    public CompletableFuture<List<AgentEvent>> events(EventQuery query) {
        return call("POST", "/api/deck/history/events", query, list(AgentEvent.class));
    }

    @Override
    public CompletableFuture<List<SamplePoint>> samples(String agentId, Instant from, Instant to, int maxPoints) {
        return call("GET", "/api/deck/samples/" + enc(agentId) + "?from=" + from + "&to=" + to + "&points="
                + Math.max(1, maxPoints), null, list(SamplePoint.class));
    }

    @Override
    public CompletableFuture<HistorySummary> historySummary(String agentId, Instant from, Instant to) {
        return call("GET", "/api/deck/summary/" + enc(agentId) + "?from=" + from + "&to=" + to, null,
                type(HistorySummary.class));
    }

    @Override
    public CompletableFuture<HistoryExport> exportAgent(String agentId) {
        return call("GET", "/api/deck/export/" + enc(agentId), null, type(HistoryExport.class));
    }

    @Override
    public CompletableFuture<AgentSpec> importAgent(HistoryExport export) {
        CompletableFuture<AgentSpec> reply = call("POST", "/api/deck/import", export, type(AgentSpec.class));
        return reply.thenCompose(a -> mirror.when(m -> m.agents().stream().anyMatch(x -> x.id().equals(a.id())))
                .thenApply(v -> a));
    }

    @Override
    public List<AgentEvent> recentEvents(long afterSeq) {
        return mirror.recentEvents(afterSeq);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        mirror.add(listener);
        return () -> mirror.remove(listener);
    }

    /** Stops following the engine; the engine and its agents go on. Requests still waiting fail. */
    @Override
    public void close() {
        closed = true;
        mirror.close();
        watches.close();
        logs.close();
        calls.shutdownNow();
        EngineException gone = new EngineException(ErrorCode.FAILED, "the connection to " + api.url() + " was closed");
        pending.forEach(f -> f.completeExceptionally(gone));
    }

    private volatile boolean closed;
    /** Futures of requests not answered yet, failed on close so no caller waits for ever. */
    private final java.util.Set<CompletableFuture<?>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Runs a completion on a worker, or here once the workers are gone (closing). */
    private void completeLater(Runnable r) {
        try {
            calls.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            r.run();
        }
    }

    private static JavaType type(Class<?> c) {
        return Json.WIRE.getTypeFactory().constructType(c);
    }

    private static JavaType list(Class<?> c) {
        return Json.WIRE.getTypeFactory().constructCollectionType(List.class, c);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Sends a request on a worker; the reply's data becomes {@code T}, a refusal the engine's own error. */
    private <T> CompletableFuture<T> call(String method, String path, Object body, JavaType type) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Connection c = mirror.connection();
        if (closed) {
            f.completeExceptionally(new EngineException(ErrorCode.FAILED, "the connection to " + api.url() + " was closed"));
            return f;
        }
        if (!c.connected()) {
            f.completeExceptionally(new EngineException(ErrorCode.FAILED, "not connected to the engine at " + api.url()
                    + (c.reason() == null ? " (connecting)" : ": " + c.reason())));
            return f;
        }
        pending.add(f);
        f.whenComplete((v, t) -> pending.remove(f));
        try {
            calls.execute(() -> {
                try {
                    JsonNode env = api.call(method, path, body == null ? null : Json.WIRE.writeValueAsString(body));
                    JsonNode data = env.get("data");
                    f.complete(data == null || data.isNull() ? null : Json.WIRE.treeToValue(data, type));
                } catch (CtlException e) {
                    f.completeExceptionally(toEngine(e));
                } catch (IOException | RuntimeException e) {
                    f.completeExceptionally(new EngineException(ErrorCode.FAILED, "the engine at " + api.url()
                            + " answered " + method + " " + path + " with something unexpected: " + e.getMessage()));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new EngineException(ErrorCode.FAILED, "the connection to " + api.url() + " is closed"));
        }
        return f;
    }

    static EngineException toEngine(CtlException e) {
        ErrorCode code;
        try {
            code = e.code() == null ? ErrorCode.FAILED : ErrorCode.valueOf(e.code().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
            code = e.status() >= 400 && e.status() < 500 ? ErrorCode.INVALID : ErrorCode.FAILED;
        }
        return new EngineException(code, e.getMessage(), new ArrayList<>(e.details()));
    }
}
