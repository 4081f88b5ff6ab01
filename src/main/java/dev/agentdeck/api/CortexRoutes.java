package dev.agentdeck.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.ProcessService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The Cortex Flow API of seed 004 under {@code /api/processes}: status of all, start and stop by
 * {@code {"name"}} (an agent's id, or its display name when no id matches), start-all, stop-all, logs.
 */
final class CortexRoutes {
    private final ProcessService engine;
    private final LogRoutes logs;

    CortexRoutes(ProcessService engine, LogRoutes logs) {
        this.engine = engine;
        this.logs = logs;
    }

    void register(Router r) {
        r.now("GET", "/api/processes/status", q -> {
            Map<String, AgentSpec> specs = SpawnRoutes.specsById(engine);
            Instant now = Instant.now();
            List<ObjectNode> out = new ArrayList<>();
            for (AgentStatus s : engine.statuses()) {
                out.add(Views.cortex(specs.get(s.id()), s, now));
            }
            return Reply.ok(out);
        });
        r.add("POST", "/api/processes/start", q -> {
            String id = name(q);
            return engine.start(id).thenApply(s -> cortex(id));
        });
        r.add("POST", "/api/processes/stop", q -> {
            String id = name(q);
            return engine.stop(id).thenApply(s -> cortex(id));
        });
        r.add("POST", "/api/processes/start-all", q -> {
            SpawnRoutes.noBody(q);
            return bulk(engine.startAll());
        });
        r.add("POST", "/api/processes/stop-all", q -> {
            SpawnRoutes.noBody(q);
            return bulk(engine.stopAll());
        });
        r.now("GET", "/api/processes/{name}/logs", q -> {
            String id = resolve(q.path("name"));
            int lines = q.intQuery("lines", 100, 1, LogRoutes.MAX_LINES);
            ObjectNode data = Json.MAPPER.createObjectNode();
            data.put("name", id);
            var out = data.putArray("lines");
            for (LogLine l : logs.tail(id, lines, null)) {
                out.add(l.text());
            }
            return Reply.ok(data);
        });
    }

    /** A start-all or stop-all: 200 with every agent's outcome when all went well, else 500 naming the failures. */
    static CompletableFuture<Reply> bulk(CompletableFuture<BulkResult> f) {
        return f.thenApply(b -> {
            if (!b.allOk()) {
                throw new ApiError(500, "failed", b.failures().size() + " of " + b.items().size() + " agents failed",
                        b.failures().stream().map(i -> i.id() + ": " + i.message()).toList());
            }
            return Reply.ok(b.items().stream().map(i -> {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("id", i.id());
                m.put("ok", i.ok());
                m.put("status", i.state() == null ? null : Views.wire(i.state()));
                m.put("message", i.message());
                return m;
            }).toList());
        });
    }

    private Reply cortex(String id) {
        AgentSpec spec = SpawnRoutes.specsById(engine).get(id);
        AgentStatus s = engine.status(id).orElseThrow(() -> ApiError.notFound("no agent \"" + id + "\""));
        return Reply.ok(Views.cortex(spec, s, Instant.now()));
    }

    private String name(ApiRequest q) {
        BodyFields b = new BodyFields(q.object(true), Set.of("name"));
        String name = b.text("name", true);
        b.done();
        return resolve(name);
    }

    private String resolve(String name) {
        if (engine.status(name).isPresent()) {
            return name;
        }
        List<AgentStatus> byName = engine.statuses().stream().filter(s -> s.name().equalsIgnoreCase(name)).toList();
        if (byName.size() == 1) {
            return byName.get(0).id();
        }
        throw ApiError.notFound(byName.isEmpty() ? "no agent \"" + name + "\""
                : "\"" + name + "\" names " + byName.size() + " agents; use an id: "
                + String.join(", ", byName.stream().map(AgentStatus::id).toList()));
    }
}
