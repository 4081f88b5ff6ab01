package dev.agentdeck.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EventType;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.process.ProcessService;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * AgentDeck's own additions where the seeds stop short: start-all and stop-all under {@code /api/spawn}, the
 * event history with filters, export and import of an agent with its history, config reload, discovery, and
 * what this instance is ({@code /api/info}).
 */
final class DeckRoutes {
    private final ProcessService engine;
    private final Workspace workspace;
    private final String kind;
    private final Runnable focus;

    /**
     * @param kind  "panel" or "serve"
     * @param focus brings the panel's window to the front; null for serve
     */
    DeckRoutes(ProcessService engine, Workspace workspace, String kind, Runnable focus) {
        this.engine = engine;
        this.workspace = workspace;
        this.kind = kind;
        this.focus = focus;
    }

    void register(Router r, EventStream events) {
        r.add("GET", "/api/spawn/events", q -> CompletableFuture.completedFuture(events.open(q)));
        r.add("POST", "/api/spawn/start-all", q -> {
            SpawnRoutes.noBody(q);
            return CortexRoutes.bulk(engine.startAll());
        });
        r.add("POST", "/api/spawn/stop-all", q -> {
            SpawnRoutes.noBody(q);
            return CortexRoutes.bulk(engine.stopAll());
        });
        r.add("GET", "/api/spawn/history/events", this::history);
        r.add("GET", "/api/spawn/process/{id}/export", this::export);
        r.add("POST", "/api/spawn/process/{id}/export", this::export);
        r.add("POST", "/api/spawn/import", this::importAgent);
        r.add("POST", "/api/spawn/reload", q -> {
            SpawnRoutes.noBody(q);
            return engine.reloadConfig().thenApply(v -> Reply.ok(Map.of("agents", engine.agents().size(),
                    "configProblems", engine.configProblems().stream().map(Object::toString).toList())));
        });
        r.add("POST", "/api/spawn/refresh", q -> {
            SpawnRoutes.noBody(q);
            return engine.refresh().thenApply(Reply::ok);
        });
        r.now("GET", "/api/info", q -> {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("product", "AgentDeck");
            info.put("version", dev.agentdeck.Main.version());
            info.put("kind", kind);
            info.put("pid", ProcessHandle.current().pid());
            info.put("home", workspace.configDir().toString());
            info.put("dataDir", workspace.dataDir().toString());
            info.put("agents", engine.agents().size());
            info.put("historyProblem", engine.historyProblem().orElse(null));
            info.put("containment", engine.containment());
            return Reply.ok(info);
        });
        if (focus != null) {
            r.now("POST", "/api/panel/focus", q -> {
                SpawnRoutes.noBody(q);
                focus.run();
                return Reply.ok(Map.of("focused", true));
            });
        }
    }

    private CompletableFuture<Reply> history(ApiRequest q) {
        String agent = q.query("agent");
        List<String> types = new ArrayList<>();
        String t = q.query("type");
        if (t != null) {
            for (String part : t.split(",")) {
                if (EventType.parse(part.trim()) == null) {
                    throw ApiError.badRequest("query parameter type=" + t + ": \"" + part + "\" is not an event type; use "
                            + Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", ")));
                }
                types.add(part.trim());
            }
        }
        EventQuery query = new EventQuery(agent, types, time(q, "from"), time(q, "to"), q.query("q"),
                q.intQuery("limit", 200, 1, 10_000));
        return engine.events(query).thenApply(list -> Reply.ok(list.stream().map(Views::event).toList()));
    }

    static Instant time(ApiRequest q, String name) {
        String v = q.query(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("query parameter " + name + "=" + v
                    + " must be an ISO-8601 time such as 2026-11-23T10:00:00Z");
        }
    }

    private CompletableFuture<Reply> export(ApiRequest q) {
        String id = q.path("id");
        SpawnRoutes.noBody(q);
        return maskedExport(engine, id).thenApply(Reply::ok);
    }

    private CompletableFuture<Reply> importAgent(ApiRequest q) {
        HistoryExport export = q.bind(HistoryExport.class, "an AgentDeck export (GET /api/spawn/process/{id}/export)");
        boolean existed = export.agentId() != null && SpawnRoutes.specsById(engine).containsKey(export.agentId());
        return importChecked(engine, export).thenApply(a -> Reply.ok(Views.config(a), Map.of("added", !existed)));
    }

    /**
     * Imports an export after checking it: masks in the export of an agent still here stand for its values; any
     * other mask, or a spec that does not read, refuses the import with every problem (nothing is changed).
     */
    static CompletableFuture<AgentSpec> importChecked(ProcessService engine, HistoryExport export) {
        AgentSpec existing = export.agentId() == null ? null : SpawnRoutes.specsById(engine).get(export.agentId());
        if (existing != null && export.spec() instanceof ObjectNode spec) {
            ObjectNode copy = spec.deepCopy();
            SpawnConfigs.unmask(copy, existing.env());
            export = new HistoryExport(export.version(), export.exportedAt(), export.agentId(), copy, export.runs(),
                    export.events(), export.rollups());
        }
        if (export.spec() != null) {
            List<String> problems = new ArrayList<>();
            try {
                AgentSpec spec = ConfigReader.readOne(export.spec(), "the exported agent");
                SpawnConfigs.refuseMasked(spec, problems);
            } catch (ConfigException e) {
                problems.addAll(e.problemLines());
            }
            if (!problems.isEmpty()) {
                throw ApiError.badRequest("the export cannot be imported (nothing was changed)", problems);
            }
        }
        return engine.importAgent(export);
    }

    /** The export of an agent with its secrets masked. */
    static CompletableFuture<ObjectNode> maskedExport(ProcessService engine, String id) {
        if (engine.status(id).isEmpty()) {
            throw ApiError.notFound("no agent \"" + id + "\"");
        }
        return engine.exportAgent(id).thenApply(x -> {
            ObjectNode doc = Json.MAPPER.valueToTree(x);
            if (doc.get("spec") instanceof ObjectNode spec) {
                Views.maskEnv(spec);
            }
            return doc;
        });
    }
}
