package dev.agentdeck.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Usage;
import dev.agentdeck.logs.LogLine;

import java.time.Instant;
import java.util.Locale;

/**
 * The JSON shapes the API replies with, built by hand so names stay stable and secret env values never leave:
 * a process (Spawn API), a process as Cortex Flow lists it, an event, a log line.
 */
public final class Views {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Views() {
    }

    public static String wire(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** One agent in a list: its state and the facts a table shows. */
    public static ProcessView process(AgentSpec spec, AgentStatus s, Instant now) {
        return new ProcessView(spec, s, now, false);
    }

    /** One agent in full: the list fields, the health message and its configuration (secrets masked). */
    public static ProcessView processDetail(AgentSpec spec, AgentStatus s, Instant now) {
        return new ProcessView(spec, s, now, true);
    }

    /** The agent as agents.json holds it, with secret-looking env values masked. */
    public static ObjectNode config(AgentSpec spec) {
        return maskEnv(ConfigWriter.agent(spec));
    }

    /** Masks an agent object's {@code env} by the one rule ({@link dev.agentdeck.config.MaskedEnv}), in place; returns it. */
    public static ObjectNode maskEnv(ObjectNode agent) {
        return dev.agentdeck.config.MaskedEnv.mask(agent);
    }

    /** One agent as Cortex Flow's status bar expects it: name, status (running, stopped, starting, error). */
    public static ObjectNode cortex(AgentSpec spec, AgentStatus s, Instant now) {
        ObjectNode o = F.objectNode();
        o.put("name", s.id());
        o.put("displayName", s.name());
        o.put("status", cortexStatus(s.state()));
        o.put("state", wire(s.state()));
        o.put("health", wire(s.health()));
        putNullable(o, "pid", s.pid());
        putNullable(o, "port", spec == null || spec.port() == null ? null : spec.port().longValue());
        o.put("uptime", s.uptimeMs(now) / 1000);
        Usage u = s.usage();
        o.put("cpu_percent", u == null ? 0 : round1(u.cpuPercent()));
        o.put("memory_mb", u == null ? 0 : round1(u.rssBytes() / 1048576.0));
        o.put("message", s.message());
        return o;
    }

    static String cortexStatus(AgentState state) {
        return switch (state) {
            case RUNNING, PAUSED -> "running";
            case STARTING, BACKOFF -> "starting";
            case STOPPING -> "stopping";
            case STOPPED, EXITED -> "stopped";
            case FAILED, FATAL -> "error";
        };
    }

    /** An event: {@code id} is its sequence number (as the SSE id), {@code processId} the agent (null: workspace). */
    public static ObjectNode event(AgentEvent e) {
        ObjectNode o = F.objectNode();
        o.put("id", e.seq());
        o.put("type", e.type().wireName());
        o.put("processId", e.agentId());
        o.put("time", e.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString()); // as history holds it
        o.put("message", e.message());
        o.set("details", dev.agentdeck.config.Json.MAPPER.valueToTree(e.details()));
        return o;
    }

    public static ObjectNode line(LogLine l) {
        ObjectNode o = F.objectNode();
        o.put("stream", wire(l.stream()));
        o.put("level", wire(l.level()));
        o.put("text", l.text());
        return o;
    }

    static ObjectNode usage(Usage u) {
        if (u == null) {
            return null;
        }
        ObjectNode o = F.objectNode();
        o.put("cpuPercent", round1(u.cpuPercent()));
        o.put("memoryMb", round1(u.rssBytes() / 1048576.0));
        o.put("rssBytes", u.rssBytes());
        o.put("threads", u.threads());
        o.put("children", u.children());
        return o;
    }

    private static void putNullable(ObjectNode o, String name, Long v) {
        if (v == null) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
