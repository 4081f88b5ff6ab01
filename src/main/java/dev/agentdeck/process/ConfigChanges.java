package dev.agentdeck.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Secrets;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two versions of an agent, for config history: each changed field of the agents.json
 * form with its value before and after, env variable by variable ({@code "env.MODE"}); a variable whose value
 * is secret ({@link Secrets}) is recorded only as {@code "added"}, {@code "changed"} or {@code "removed"}, and a
 * URL password as the mask. Pure.
 */
final class ConfigChanges {
    private ConfigChanges() {
    }

    static ObjectNode between(AgentSpec before, AgentSpec after) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode b = ConfigWriter.agent(before);
        ObjectNode a = ConfigWriter.agent(after);
        Set<String> fields = new LinkedHashSet<>();
        b.fieldNames().forEachRemaining(fields::add);
        a.fieldNames().forEachRemaining(fields::add);
        fields.remove("env");
        for (String f : fields) {
            if (!Objects.equals(b.get(f), a.get(f))) {
                both(out, f, b.get(f), a.get(f));
            }
        }
        Set<String> names = new LinkedHashSet<>(before.env().keySet());
        names.addAll(after.env().keySet());
        for (String name : names) {
            String was = before.env().get(name);
            String is = after.env().get(name);
            if (Objects.equals(was, is)) {
                continue;
            }
            String shownWas = Secrets.mask(name, was);
            String shownIs = Secrets.mask(name, is);
            if (Secrets.isSecret(name) || Objects.equals(shownWas, shownIs)) {
                out.put("env." + name, was == null ? "added" : is == null ? "removed" : "changed");
            } else {
                both(out, "env." + name, text(shownWas), text(shownIs));
            }
        }
        return out;
    }

    private static void both(ObjectNode out, String field, JsonNode before, JsonNode after) {
        ObjectNode o = out.putObject(field);
        o.set("before", before);
        o.set("after", after);
    }

    private static JsonNode text(String s) {
        return s == null ? null : Json.MAPPER.getNodeFactory().textNode(s);
    }
}
