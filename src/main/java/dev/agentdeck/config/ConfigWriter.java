package dev.agentdeck.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.StopSpec;

import java.util.List;

/**
 * Writes a {@link WorkspaceConfig} as agents.json, leaving out every value that equals its default so the
 * file stays as short as the user wrote it. {@link ConfigReader} reads back exactly the same config.
 */
public final class ConfigWriter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ConfigWriter() {
    }

    public static byte[] write(WorkspaceConfig config) {
        return Json.pretty(toTree(config));
    }

    public static ObjectNode toTree(WorkspaceConfig config) {
        ObjectNode root = F.objectNode();
        root.put("version", config.version());
        ArrayNode agents = root.putArray("agents");
        config.agents().forEach(a -> agents.add(agent(a)));
        return root;
    }

    /** One agent as it appears in agents.json. */
    public static ObjectNode agent(AgentSpec a) {
        ObjectNode o = F.objectNode();
        o.put("id", a.id());
        if (!a.name().equals(a.id())) {
            o.put("name", a.name());
        }
        if (!a.type().equals(AgentSpec.DEFAULT_TYPE)) {
            o.put("type", a.type());
        }
        o.put("command", a.command());
        strings(o, "args", a.args());
        putIfSet(o, "cwd", a.cwd());
        if (!a.env().isEmpty()) {
            ObjectNode env = o.putObject("env");
            a.env().forEach(env::put);
        }
        putIfSet(o, "envFile", a.envFile());
        if (a.port() != null) {
            o.put("port", a.port());
        }
        putIfSet(o, "match", a.match());
        if (a.autostart()) {
            o.put("autostart", true);
        }
        restart(o, a.restart());
        stop(o, a.stop());
        if (a.healthCheck() != null) {
            o.set("healthCheck", health(a.healthCheck()));
        }
        resources(o, a.resources());
        dependencies(o, a.dependsOn());
        strings(o, "tags", a.tags());
        if (a.instances() != 0) {
            o.put("instances", a.instances());
        }
        putIfSet(o, "readyLogLine", a.readyLogLine());
        putIfSet(o, "schedule", a.schedule());
        strings(o, "watch", a.watch());
        if (a.daemon() != null) {
            ObjectNode d = o.putObject("daemon");
            putIfSet(d, "pidFile", a.daemon().pidFile());
            putIfNot(d, "timeoutSec", a.daemon().timeoutSec(), dev.agentdeck.core.DaemonSpec.DEFAULT_TIMEOUT_SEC);
        }
        return o;
    }

    private static void restart(ObjectNode parent, RestartSpec r) {
        RestartSpec d = RestartSpec.DEFAULT;
        if (r.equals(d)) {
            return;
        }
        ObjectNode o = parent.putObject("restart");
        if (r.policy() != d.policy()) {
            o.put("policy", r.policy().wireName());
        }
        putIfNot(o, "delayMs", r.delayMs(), d.delayMs());
        putIfNot(o, "maxDelayMs", r.maxDelayMs(), d.maxDelayMs());
        putIfNot(o, "burst", r.burst(), d.burst());
        putIfNot(o, "windowSec", r.windowSec(), d.windowSec());
        putIfNot(o, "resetAfterSec", r.resetAfterSec(), d.resetAfterSec());
    }

    private static void stop(ObjectNode parent, StopSpec s) {
        if (s.equals(StopSpec.DEFAULT)) {
            return;
        }
        ObjectNode o = parent.putObject("stop");
        if (s.signal() != StopSpec.DEFAULT.signal()) {
            o.put("signal", s.signal().name());
        }
        putIfNot(o, "timeoutSec", s.timeoutSec(), StopSpec.DEFAULT.timeoutSec());
    }

    private static ObjectNode health(HealthCheckSpec h) {
        ObjectNode o = F.objectNode();
        o.put("type", h.typeName());
        if (h instanceof HealthCheckSpec.Http http) {
            o.put("endpoint", http.endpoint());
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            if (!tcp.host().equals("127.0.0.1")) {
                o.put("host", tcp.host());
            }
            if (tcp.port() != null) {
                o.put("port", tcp.port());
            }
        } else if (h instanceof HealthCheckSpec.Command cmd) {
            ArrayNode arr = o.putArray("command");
            cmd.command().forEach(arr::add);
        }
        ProbeTiming t = h.timing();
        ProbeTiming d = ProbeTiming.DEFAULT;
        putIfNot(o, "intervalMs", t.intervalMs(), d.intervalMs());
        putIfNot(o, "timeoutMs", t.timeoutMs(), d.timeoutMs());
        putIfNot(o, "failureThreshold", t.failureThreshold(), d.failureThreshold());
        putIfNot(o, "successThreshold", t.successThreshold(), d.successThreshold());
        putIfNot(o, "initialDelayMs", t.initialDelayMs(), d.initialDelayMs());
        if (h.restartOnUnhealthy()) {
            o.put("restartOnUnhealthy", true);
        }
        return o;
    }

    private static void resources(ObjectNode parent, ResourceLimits r) {
        if (r.equals(ResourceLimits.NONE)) {
            return;
        }
        ObjectNode o = parent.putObject("resources");
        if (r.memoryMb() != null) {
            o.put("memoryMb", r.memoryMb());
        }
        if (r.cpuPercent() != null) {
            o.put("cpuPercent", r.cpuPercent());
        }
        if (r.memoryAction() != ResourceLimits.NONE.memoryAction()) {
            o.put("memoryAction", r.memoryAction().wireName());
        }
    }

    private static void dependencies(ObjectNode parent, List<Dependency> deps) {
        if (deps.isEmpty()) {
            return;
        }
        ArrayNode arr = parent.putArray("dependsOn");
        for (Dependency d : deps) {
            if (d.condition() == DependencyCondition.STARTED) {
                arr.add(d.id());
            } else {
                arr.addObject().put("id", d.id()).put("condition", d.condition().wireName());
            }
        }
    }

    private static void strings(ObjectNode o, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode arr = o.putArray(field);
            values.forEach(arr::add);
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putIfNot(ObjectNode o, String field, long value, long dflt) {
        if (value != dflt) {
            o.put(field, value);
        }
    }

}
