package dev.agentdeck.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.ExitInfo;

import java.io.IOException;
import java.time.Instant;

/**
 * One agent as the Spawn API shows it, written straight to the reply's JSON generator (a list of 200 agents is
 * on the hot path: no intermediate tree). The list form has state and the facts a table shows; the detail form
 * adds the health message and the configuration, secrets masked.
 */
public record ProcessView(AgentSpec spec, AgentStatus status, Instant now, boolean detail) implements JsonSerializable {

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        AgentStatus s = status;
        g.writeStartObject();
        g.writeStringField("id", s.id());
        g.writeStringField("name", s.name());
        g.writeStringField("type", spec == null ? AgentSpec.DEFAULT_TYPE : spec.type());
        g.writeStringField("status", Views.wire(s.state()));
        g.writeStringField("health", Views.wire(s.health()));
        g.writeStringField("origin", Views.wire(s.origin()));
        number(g, "pid", s.pid());
        if (spec != null) {
            number(g, "port", spec.port() == null ? null : spec.port().longValue());
            g.writeStringField("command", spec.command());
            g.writeArrayFieldStart("args");
            for (String a : spec.args()) {
                g.writeString(a);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("tags");
            for (String t : spec.tags()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        time(g, "startedAt", s.startedAt());
        g.writeNumberField("uptimeMs", s.uptimeMs(now));
        g.writeNumberField("restarts", s.restarts());
        g.writeStringField("message", s.message());
        exit(g, s.lastExit());
        g.writeFieldName("usage");
        g.writeTree(Views.usage(s.usage())); // one shape for lists, details and metrics
        time(g, "nextRetryAt", s.nextRetryAt());
        g.writeArrayFieldStart("warnings");
        for (String w : s.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
        g.writeBooleanField("changed", s.changed());
        g.writeBooleanField("ready", s.ready());
        g.writeBooleanField("removed", s.removed());
        time(g, "updatedAt", s.updatedAt());
        if (detail) {
            g.writeStringField("healthMessage", s.healthMessage());
            g.writeFieldName("config");
            if (spec == null) {
                g.writeNull();
            } else {
                g.writeTree(Views.config(spec));
            }
        }
        g.writeEndObject();
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer typeSer) throws IOException {
        serialize(g, provider);
    }

    private static void exit(JsonGenerator g, ExitInfo x) throws IOException {
        g.writeFieldName("lastExit");
        if (x == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        number(g, "code", x.code() == null ? null : x.code().longValue());
        g.writeStringField("signal", x.signal());
        time(g, "at", x.at());
        g.writeNumberField("uptimeMs", x.uptimeMs());
        g.writeStringField("reason", x.reason());
        g.writeStringField("stderrTail", x.stderrTail());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, Long v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }

    private static void time(JsonGenerator g, String name, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, t.toString());
        }
    }
}
