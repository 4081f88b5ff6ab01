package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Templates;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.Signal;
import dev.agentdeck.process.ProcessService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Spawn API of seed 000 under {@code /api/spawn}: spawn, list, get, stop, restart, update config,
 * templates, spawn from a template, logs, metrics; and AgentDeck's additions to one process: start, kill,
 * pause, resume, send a signal, remove, its runs.
 */
final class SpawnRoutes {
    private final ProcessService engine;
    private final Workspace workspace;
    private final LogRoutes logs;
    private final ApiStats stats;
    private final ListCache listCache = new ListCache();

    SpawnRoutes(ProcessService engine, Workspace workspace, LogRoutes logs, ApiStats stats) {
        this.engine = engine;
        this.workspace = workspace;
        this.logs = logs;
        this.stats = stats;
    }

    void register(Router r) {
        r.add("POST", "/api/spawn/process", this::spawn);
        r.now("GET", "/api/spawn/processes", this::list);
        r.now("GET", "/api/spawn/process/{id}", q -> Reply.ok(detail(known(q))));
        r.add("DELETE", "/api/spawn/process/{id}", q -> {
            String id = known(q);
            noBody(q);
            return engine.removeAgent(id).thenApply(v -> Reply.ok(Map.of("id", id, "removed", true)));
        });
        r.add("POST", "/api/spawn/process/{id}/stop", this::stop);
        r.add("POST", "/api/spawn/process/{id}/restart", q -> control(q, engine::restart));
        r.add("POST", "/api/spawn/process/{id}/start", q -> control(q, engine::start));
        r.add("POST", "/api/spawn/process/{id}/kill", q -> control(q, engine::kill));
        r.add("POST", "/api/spawn/process/{id}/pause", q -> control(q, engine::pause));
        r.add("POST", "/api/spawn/process/{id}/resume", q -> control(q, engine::resume));
        r.add("POST", "/api/spawn/process/{id}/signal", this::signal);
        r.add("PUT", "/api/spawn/process/{id}/config", this::updateConfig);
        r.add("POST", "/api/spawn/process/{id}/scale", this::scale);
        r.add("POST", "/api/spawn/groups/{tag}/{action}", q -> {
            noBody(q);
            return engine.group(q.path("tag"), WireRoutes.groupAction(q)).thenApply(Reply::ok);
        });
        r.now("GET", "/api/spawn/process/{id}/logs", q -> logs.spawnLogs(q, known(q)));
        r.add("GET", "/api/spawn/process/{id}/runs", q -> {
            String id = known(q);
            int limit = q.intQuery("limit", 50, 1, 10_000);
            return engine.runs(id, limit).thenApply(Reply::ok);
        });
        r.now("GET", "/api/spawn/templates", q -> {
            Templates.Loaded t = Templates.load(workspace);
            List<ObjectNode> out = t.templates().stream().map(SpawnRoutes::template).toList();
            return Reply.ok(out, Map.of("problems", t.problems().stream().map(Object::toString).toList()));
        });
        r.add("POST", "/api/spawn/from-template", this::fromTemplate);
        r.now("GET", "/api/spawn/metrics", q -> Reply.ok(metrics()));
    }

    static Map<String, AgentSpec> specsById(ProcessService engine) {
        return engine.agents().stream().collect(Collectors.toMap(AgentSpec::id, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
    }

    /** The {@code {id}} of the path when such an agent exists; else a 404. */
    String known(ApiRequest q) {
        String id = q.path("id");
        if (engine.status(id).isEmpty()) {
            throw ApiError.notFound("no agent \"" + id + "\"");
        }
        return id;
    }

    static void noBody(ApiRequest q) {
        if (q.hasBody()) {
            new BodyFields(q.object(false), Set.of()).done();
        }
    }

    ProcessView detail(String id) {
        AgentSpec spec = specsById(engine).get(id);
        AgentStatus s = engine.status(id).orElseThrow(() -> ApiError.notFound("no agent \"" + id + "\""));
        return Views.processDetail(spec, s, Instant.now());
    }

    private Reply list(ApiRequest q) {
        Set<AgentState> states = parseStates(q.query("status"));
        String type = q.query("type");
        String tag = q.query("tag");
        int limit = q.intQuery("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int offset = q.intQuery("offset", 0, 0, Integer.MAX_VALUE);
        Map<String, AgentSpec> specs = specsById(engine);
        Instant now = Instant.now();
        List<Object> matching = new ArrayList<>();
        int total = 0;
        for (AgentStatus s : engine.statuses()) {
            AgentSpec spec = specs.get(s.id());
            if ((states != null && !states.contains(s.state()))
                    || (type != null && (spec == null || !spec.type().equals(type)))
                    || (tag != null && (spec == null || !spec.tags().contains(tag)))) {
                continue;
            }
            if (total >= offset && matching.size() < limit) {
                matching.add(listCache.view(spec, s, now));
            }
            total++;
        }
        listCache.retain(specs.keySet());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("total", total);
        extra.put("offset", offset);
        if (!engine.configProblems().isEmpty()) {
            extra.put("configProblems", engine.configProblems().stream().map(Object::toString).toList());
        }
        return Reply.ok(matching, extra);
    }

    private static Set<AgentState> parseStates(String v) {
        if (v == null) {
            return null;
        }
        Set<AgentState> out = java.util.EnumSet.noneOf(AgentState.class);
        for (String part : v.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.equals("error")) {
                out.add(AgentState.FAILED);
                out.add(AgentState.FATAL);
                continue;
            }
            AgentState s = Arrays.stream(AgentState.values()).filter(a -> Views.wire(a).equals(p)).findFirst().orElse(null);
            if (s == null) {
                throw ApiError.badRequest("query parameter status=" + v + ": \"" + part + "\" is not a status; use "
                        + Arrays.stream(AgentState.values()).map(Views::wire).collect(Collectors.joining(", "))
                        + " or error, several separated by commas");
            }
            out.add(s);
        }
        return out;
    }

    private CompletableFuture<Reply> spawn(ApiRequest q) {
        SpawnConfigs.Read read = SpawnConfigs.read(q.object(true), "the spawn config");
        return addAndStart(read);
    }

    private CompletableFuture<Reply> addAndStart(SpawnConfigs.Read read) {
        AgentSpec spec = read.spec();
        AgentSpec existing = specsById(engine).get(spec.id());
        CompletableFuture<AgentSpec> added;
        if (existing == null) {
            added = engine.addAgent(spec);
        } else if (existing.equals(spec)) {
            added = CompletableFuture.completedFuture(existing); // spawning the same config again starts it
        } else {
            throw ApiError.badRequest("agent \"" + spec.id() + "\" exists with another configuration; change it with "
                    + "PUT /api/spawn/process/" + spec.id() + "/config, or choose another id (nothing was changed)");
        }
        stats.spawnRequested();
        return added.thenCompose(a -> {
            List<String> ids = a.instanced() ? Instances.ids(a.id(), a.instances()) : List.of(a.id());
            return CompletableFuture.allOf(ids.stream().map(id -> engine.start(id).handle((st, err) -> {
                if (err != null) {
                    var e = EngineException.of(err);
                    throw new ApiError(500, "failed", "\"" + id + "\" is in agents.json but did not start: "
                            + e.message(), e.details());
                }
                return st;
            })).toArray(CompletableFuture[]::new)).thenApply(v -> withNotes(details(a), read.notes()));
        });
    }

    private static Reply withNotes(Object data, List<String> notes) {
        return notes.isEmpty() ? Reply.ok(data) : Reply.ok(data, Map.of("notes", notes));
    }

    private CompletableFuture<Reply> stop(ApiRequest q) {
        String id = known(q);
        BodyFields b = new BodyFields(q.object(false), Set.of("graceful"));
        Boolean graceful = b.bool("graceful");
        b.done();
        var f = graceful == null || graceful ? engine.stop(id) : engine.kill(id);
        return f.thenApply(st -> Reply.ok(detail(id)));
    }

    private CompletableFuture<Reply> control(ApiRequest q, Function<String, CompletableFuture<AgentStatus>> action) {
        String id = known(q);
        noBody(q);
        return action.apply(id).thenApply(st -> Reply.ok(detail(id)));
    }

    private CompletableFuture<Reply> signal(ApiRequest q) {
        String id = known(q);
        BodyFields b = new BodyFields(q.object(true), Set.of("signal"));
        String name = b.text("signal", true);
        Signal sig = name == null ? null : Signal.parse(name);
        if (name != null && sig == null) {
            b.problem("signal \"" + name + "\" is not one AgentDeck sends; use one of "
                    + Arrays.stream(Signal.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        b.done();
        return engine.signal(id, sig).thenApply(st -> Reply.ok(detail(id)));
    }

    private CompletableFuture<Reply> updateConfig(ApiRequest q) {
        String id = q.path("id");
        AgentSpec current = definitionOf(id);
        if (!current.id().equals(id)) {
            throw ApiError.badRequest("\"" + id + "\" is an instance of \"" + current.id() + "\": change PUT /api/spawn/process/"
                    + current.id() + "/config, whose settings all its instances share (nothing was changed)");
        }
        SpawnConfigs.Read read = SpawnConfigs.update(current, q.object(true));
        return engine.updateAgent(read.spec()).thenApply(a -> withNotes(details(a), read.notes()));
    }

    /** Sets how many instances of a definition run: {@code {"instances": N}}. */
    private CompletableFuture<Reply> scale(ApiRequest q) {
        BodyFields b = new BodyFields(q.object(true), Set.of("instances"));
        Integer n = b.integer("instances", true);
        b.done();
        definitionOf(q.path("id"));
        return engine.scale(q.path("id"), n).thenApply(def -> Reply.ok(details(def)));
    }

    /** The entry of agents.json {@code id} comes from (itself or an instance's definition); else a 404. */
    private AgentSpec definitionOf(String id) {
        AgentSpec def = engine.definition(id).exceptionally(t -> null).getNow(null);
        if (def == null) {
            throw ApiError.notFound("no agent \"" + id + "\"");
        }
        return def;
    }

    /** The detail of an agent, or for a definition the details of its instances. */
    private Object details(AgentSpec entry) {
        if (!entry.instanced()) {
            return detail(entry.id());
        }
        return Instances.ids(entry.id(), entry.instances()).stream().filter(i -> engine.status(i).isPresent())
                .map(this::detail).toList();
    }

    private CompletableFuture<Reply> fromTemplate(ApiRequest q) {
        BodyFields b = new BodyFields(q.object(true), Set.of("templateId", "overrides"));
        String templateId = b.text("templateId", true);
        JsonNode overrides = b.object("overrides");
        b.done();
        Templates.Template t = Templates.load(workspace).find(templateId);
        if (t == null) {
            throw ApiError.notFound("no template \"" + templateId + "\"; GET /api/spawn/templates lists them");
        }
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ObjectNode agent = t.agent().deepCopy();
        if (overrides != null) {
            SpawnConfigs.merge(agent, SpawnConfigs.translate(overrides, notes, problems));
        }
        if (!agent.hasNonNull("id")) {
            problems.add("overrides.id is required: the id of the new agent");
        }
        if (!problems.isEmpty()) {
            throw ApiError.badRequest("the agent from template \"" + templateId + "\" is not valid", problems);
        }
        SpawnConfigs.Read read = SpawnConfigs.read(agent, "the agent from template \"" + templateId + "\"");
        List<String> allNotes = new ArrayList<>(notes);
        allNotes.addAll(read.notes());
        return addAndStart(new SpawnConfigs.Read(read.spec(), allNotes));
    }

    private static ObjectNode template(Templates.Template t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", t.id());
        o.put("name", t.name());
        o.put("description", t.description());
        o.put("builtIn", t.builtIn());
        o.set("config", Views.maskEnv(t.agent().deepCopy()));
        return o;
    }

    private ObjectNode metrics() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("host", engine.host().map(h -> (JsonNode) Json.MAPPER.valueToTree(h)).orElse(null));
        o.set("summary", Json.MAPPER.valueToTree(engine.summary()));
        o.set("engine", Json.MAPPER.valueToTree(engine.stats()));
        o.set("api", Json.MAPPER.valueToTree(stats.snapshot()));
        ArrayNode procs = o.putArray("processes");
        Instant now = Instant.now();
        for (AgentStatus s : engine.statuses()) {
            ObjectNode p = procs.addObject();
            p.put("id", s.id());
            p.put("status", Views.wire(s.state()));
            p.put("health", Views.wire(s.health()));
            p.put("uptimeMs", s.uptimeMs(now));
            p.put("restarts", s.restarts());
            p.set("usage", Views.usage(s.usage()));
        }
        return o;
    }
}
