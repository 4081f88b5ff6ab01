package dev.agentdeck.api;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Signal;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.process.GroupAction;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.transfer.ExportFormat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /api/deck/...}: the engine's facade over HTTP for AgentDeck's own remote client (a panel attached to
 * this engine), in the engine's record forms so the client gets the same snapshots and errors as in-process.
 * Agent specs go out with secrets masked; a mask that comes back in a saved spec keeps the value it stands for.
 */
final class WireRoutes {
    private final ProcessService engine;
    private final MetricWatches watches;

    WireRoutes(ProcessService engine, MetricWatches watches) {
        this.engine = engine;
        this.watches = watches;
    }

    void register(Router r, WireStream stream, WireLogs logs) {
        r.add("GET", "/api/deck/stream", q -> CompletableFuture.completedFuture(stream.open(q)));
        r.add("POST", "/api/deck/agents/{id}/{action}", this::action);
        r.now("GET", "/api/deck/agents/{id}/status", q -> Reply.wire(engine.status(q.path("id"))
                .orElseThrow(() -> ApiError.notFound("no agent \"" + q.path("id") + "\""))));
        r.add("POST", "/api/deck/start-all", q -> engine.startAll().thenApply(Reply::wire));
        r.add("POST", "/api/deck/stop-all", q -> engine.stopAll().thenApply(Reply::wire));
        r.add("POST", "/api/deck/validate", q -> engine.validate(incoming(q)).thenApply(Reply::wire));
        r.add("POST", "/api/deck/agents", q -> engine.addAgent(incoming(q)).thenApply(a -> Reply.wire(WireForms.masked(a))));
        r.add("PUT", "/api/deck/agents/{id}", q -> {
            AgentSpec spec = incoming(q);
            if (!spec.id().equals(q.path("id"))) {
                throw ApiError.badRequest("the body's id \"" + spec.id() + "\" is not the id in the path, \"" + q.path("id") + "\"");
            }
            return engine.updateAgent(spec).thenApply(a -> Reply.wire(WireForms.masked(a)));
        });
        r.add("DELETE", "/api/deck/agents/{id}", q -> engine.removeAgent(q.path("id")).thenApply(v -> Reply.wire(null)));
        r.add("POST", "/api/deck/reload", q -> engine.reloadConfig().thenApply(v -> Reply.wire(null)));
        r.add("POST", "/api/deck/refresh", q -> engine.refresh().thenApply(Reply::wire));
        r.now("GET", "/api/deck/stats", q -> Reply.wire(engine.stats()));
        r.add("GET", "/api/deck/runs/{id}", q -> engine.runs(q.path("id"), q.intQuery("limit", 50, 1, 10_000)).thenApply(Reply::wire));
        r.add("POST", "/api/deck/history/events", q -> engine.events(q.bindWire(EventQuery.class, "an event query"))
                .thenApply(Reply::wire));
        r.add("GET", "/api/deck/samples/{id}", q -> engine.samples(q.path("id"), required(q, "from"), required(q, "to"),
                q.intQuery("points", 300, 1, 10_000)).thenApply(Reply::wire));
        r.add("GET", "/api/deck/summary/{id}", q -> engine.historySummary(q.path("id"), required(q, "from"),
                required(q, "to")).thenApply(Reply::wire));
        r.add("GET", "/api/deck/export/{id}", q -> DeckRoutes.maskedExport(engine, q.path("id")).thenApply(Reply::wire));
        r.add("POST", "/api/deck/import", q -> DeckRoutes.importChecked(engine,
                q.bindWire(HistoryExport.class, "an AgentDeck export")).thenApply(a -> Reply.wire(WireForms.masked(a))));
        r.add("GET", "/api/deck/definitions/{id}", q -> engine.definition(q.path("id")).thenApply(a -> Reply.wire(WireForms.masked(a))));
        r.add("POST", "/api/deck/agents/batch", q -> engine.addAgents(incomingList(q))
                .thenApply(list -> Reply.wire(WireForms.masked(list))));
        r.add("POST", "/api/deck/scale/{id}", q -> engine.scale(q.path("id"), q.intQuery("instances", 0, Integer.MIN_VALUE, Integer.MAX_VALUE))
                .thenApply(a -> Reply.wire(WireForms.masked(a))));
        r.add("POST", "/api/deck/groups/{tag}/{action}", q -> engine.group(q.path("tag"), groupAction(q)).thenApply(Reply::wire));
        r.add("GET", "/api/deck/templates", q -> engine.templates().thenApply(t -> Reply.wire(masked(t))));
        r.add("POST", "/api/deck/templates", q -> {
            BodyFields b = new BodyFields(q.object(true), java.util.Set.of("agentId", "templateId", "name", "description"));
            return engine.saveTemplate(b.text("agentId", true), b.text("templateId", true), b.text("name", false),
                    b.text("description", false)).thenApply(t -> Reply.wire(masked(t)));
        });
        r.add("GET", "/api/deck/export-as", q -> engine.exportAs(exportFormat(q), ids(q)).thenApply(Reply::wire));
        r.now("POST", "/api/deck/watch", q -> Reply.ok(Map.of("watch", watches.open(q.query("agent")),
                "leaseSeconds", MetricWatches.LEASE.toSeconds())));
        r.now("POST", "/api/deck/watch/{watch}/renew", q -> Reply.ok(Map.of("renewed", watches.renew(q.path("watch")))));
        r.now("DELETE", "/api/deck/watch/{watch}", q -> Reply.ok(Map.of("closed", watches.close(q.path("watch")))));
        logs.register(r);
    }

    private CompletableFuture<Reply> action(ApiRequest q) {
        String id = q.path("id");
        String action = q.path("action");
        CompletableFuture<AgentStatus> f = switch (action) {
            case "start" -> engine.start(id);
            case "stop" -> engine.stop(id);
            case "kill" -> engine.kill(id);
            case "restart" -> engine.restart(id);
            case "pause" -> engine.pause(id);
            case "resume" -> engine.resume(id);
            case "signal" -> {
                String name = q.query("signal");
                Signal s = name == null ? null : Signal.parse(name);
                if (s == null) {
                    throw ApiError.badRequest("query parameter signal=" + name + " is not a signal such as TERM, HUP or USR1");
                }
                yield engine.signal(id, s);
            }
            default -> throw ApiError.notFound("no action \"" + action
                    + "\"; use start, stop, kill, restart, pause, resume or signal");
        };
        return f.thenApply(Reply::wire);
    }

    /** The body as an agent spec, its masks standing for the values the configured agent of that id has. */
    private AgentSpec incoming(ApiRequest q) {
        AgentSpec spec = q.bindWire(AgentSpec.class, "an agent spec");
        if (spec.id() == null) {
            throw ApiError.badRequest("the agent spec has no id");
        }
        Map<String, AgentSpec> byId = new HashMap<>();
        engine.agents().forEach(a -> byId.put(a.id(), a));
        AgentSpec existing = byId.containsKey(spec.id()) ? byId.get(spec.id())
                : engine.definition(spec.id()).exceptionally(t -> null).getNow(null);
        AgentSpec real = WireForms.unmasked(spec, existing);
        java.util.List<String> problems = new java.util.ArrayList<>();
        SpawnConfigs.refuseMasked(real, problems); // a mask with no value behind it (a copy, a renamed variable)
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("the agent was not saved", problems);
        }
        return real;
    }

    /** The body as a list of agent specs, each checked as {@link #incoming} checks one. */
    private java.util.List<AgentSpec> incomingList(ApiRequest q) {
        AgentSpec[] specs = q.bindWire(AgentSpec[].class, "a list of agent specs");
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (AgentSpec spec : specs) {
            if (spec == null || spec.id() == null) {
                throw ApiError.badRequest("an agent spec in the list has no id");
            }
            SpawnConfigs.refuseMasked(spec, problems);
        }
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("the agents were not added", problems);
        }
        return java.util.List.of(specs);
    }

    /** Templates with their secret-looking env values masked, as every agent that crosses the wire. */
    private static dev.agentdeck.config.Templates.Loaded masked(dev.agentdeck.config.Templates.Loaded loaded) {
        return new dev.agentdeck.config.Templates.Loaded(loaded.templates().stream().map(WireRoutes::masked).toList(),
                loaded.problems());
    }

    private static dev.agentdeck.config.Templates.Template masked(dev.agentdeck.config.Templates.Template t) {
        return new dev.agentdeck.config.Templates.Template(t.id(), t.name(), t.description(), Views.maskEnv(t.agent().deepCopy()),
                t.builtIn());
    }

    static GroupAction groupAction(ApiRequest q) {
        GroupAction a = GroupAction.parse(q.path("action"));
        if (a == null) {
            throw ApiError.notFound("no group action \"" + q.path("action") + "\"; use start, stop or restart");
        }
        return a;
    }

    static ExportFormat exportFormat(ApiRequest q) {
        ExportFormat f = ExportFormat.parse(q.query("format"));
        if (f == null) {
            throw ApiError.badRequest("query parameter format=" + q.query("format")
                    + " must be systemd, supervisor, compose or kubernetes");
        }
        return f;
    }

    static java.util.List<String> ids(ApiRequest q) {
        String ids = q.query("ids");
        return ids == null || ids.isBlank() ? java.util.List.of()
                : java.util.Arrays.stream(ids.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static Instant required(ApiRequest q, String name) {
        Instant t = DeckRoutes.time(q, name);
        if (t == null) {
            throw ApiError.badRequest("query parameter " + name + " is required (an ISO-8601 time)");
        }
        return t;
    }
}
