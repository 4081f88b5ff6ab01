package dev.agentdeck.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of each agent in a process list, kept until its snapshot or spec changes (snapshots are immutable
 * and replaced on change, so identity says it). Only the uptime, which moves with the clock, is written per
 * request. A list of 200 agents is then mostly a copy.
 */
final class ListCache {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(AgentStatus status, AgentSpec spec, String head, String tail) {
    }

    /** The list form of one agent now, from the cache when its snapshot and spec are the same objects. */
    JsonSerializable view(AgentSpec spec, AgentStatus s, Instant now) {
        Entry e = entries.get(s.id());
        if (e == null || e.status != s || e.spec != spec) {
            String text = Json.compact(new ProcessView(spec, s, now, false));
            String uptimeField = "\"uptimeMs\":" + s.uptimeMs(now);
            int at = text.indexOf(uptimeField);
            e = at < 0 ? new Entry(s, spec, text, null)
                    : new Entry(s, spec, text.substring(0, at + "\"uptimeMs\":".length()),
                    text.substring(at + uptimeField.length()));
            entries.put(s.id(), e);
        }
        return new Cached(e, s.uptimeMs(now));
    }

    /** Forgets agents that are gone. */
    void retain(Set<String> ids) {
        if (entries.size() > ids.size()) {
            entries.keySet().retainAll(ids);
        }
    }

    private record Cached(Entry entry, long uptimeMs) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            if (entry.tail == null) {
                g.writeRawValue(entry.head);
                return;
            }
            g.writeRawValue(entry.head);
            g.writeRaw(Long.toString(uptimeMs));
            g.writeRaw(entry.tail);
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider p, TypeSerializer t) throws IOException {
            serialize(g, p);
        }
    }
}
