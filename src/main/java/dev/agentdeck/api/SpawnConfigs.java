package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Secrets;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns a Spawn API SpawnConfig (seed 000) into an agent as agents.json holds it, then reads it with the same
 * strict reader as agents.json. Both vocabularies are accepted in one body: {@code autoRestart} (a boolean)
 * becomes {@code restart.policy}; {@code dependencies} becomes {@code dependsOn}; {@code healthCheck.interval}
 * and {@code .timeout} (ms) become {@code intervalMs} and {@code timeoutMs}; {@code resources.cpu} and
 * {@code .memory} become {@code cpuPercent} and {@code memoryMb}. {@code resources.disk} is accepted and not
 * enforced (a note in the reply says so). Anything else unknown is refused with the field named.
 */
public final class SpawnConfigs {
    private SpawnConfigs() {
    }

    /** A spec read from a request, and notes about what was accepted but not kept. */
    public record Read(AgentSpec spec, List<String> notes) {
    }

    /** Reads a full config (spawn, from-template); every problem becomes one detail of a 400. */
    public static Read read(JsonNode body, String where) {
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ObjectNode agent = translate(body, notes, problems);
        return new Read(readAgent(agent, where, problems), notes);
    }

    /**
     * Applies a partial config (PUT .../config) to a spec: objects merge field by field, other values replace,
     * null removes a field; a masked secret sent back unchanged keeps its real value.
     */
    public static Read update(AgentSpec current, JsonNode patch) {
        if (!patch.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object of the fields to change");
        }
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ObjectNode translated = translate(patch, notes, problems);
        if (translated.has("id") && !current.id().equals(translated.get("id").asText())) {
            problems.add("id cannot be changed (\"" + current.id() + "\" to \"" + translated.get("id").asText()
                    + "\"); add a new agent and remove this one instead");
        }
        ObjectNode merged = ConfigWriter.agent(current);
        merge(merged, translated);
        unmask(merged, current.env());
        return new Read(readAgent(merged, "agent \"" + current.id() + "\"", problems), notes);
    }

    /**
     * Puts back the real values of an agent object's env where it holds the mask a reply or export wrote and
     * {@code real} has the value (the client sent back what it was shown), in place.
     */
    static void unmask(ObjectNode agent, Map<String, String> real) {
        if (agent.get("env") instanceof ObjectNode env) {
            real.forEach((k, v) -> {
                String sent = env.path(k).asText(null);
                if (env.path(k).isTextual() && Secrets.isMasked(sent)) {
                    env.put(k, Secrets.unmask(sent, v));
                }
            });
        }
    }

    /** Refuses env values that still hold a mask an API reply or export put there with no value behind it. */
    static void refuseMasked(AgentSpec spec, List<String> problems) {
        spec.env().forEach((k, v) -> {
            String problem = Secrets.maskedProblem(k, v);
            if (problem != null) {
                problems.add(problem);
            }
        });
    }

    private static AgentSpec readAgent(ObjectNode agent, String where, List<String> problems) {
        AgentSpec spec = null;
        try {
            spec = ConfigReader.readOne(agent, where);
        } catch (ConfigException e) {
            e.problems().forEach(p -> problems.add(p.what()));
        }
        if (spec != null) {
            refuseMasked(spec, problems);
        }
        if (!problems.isEmpty()) {
            throw ApiError.badRequest(where + " is not a valid agent (" + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ")", problems);
        }
        return spec;
    }

    static ObjectNode translate(JsonNode body, List<String> notes, List<String> problems) {
        ObjectNode out = body.deepCopy();
        if (out.has("autoRestart")) {
            JsonNode v = out.remove("autoRestart");
            if (!v.isBoolean()) {
                problems.add("autoRestart must be true or false");
            } else {
                ObjectNode restart = out.has("restart") && out.get("restart").isObject()
                        ? (ObjectNode) out.get("restart") : out.putObject("restart");
                if (restart.has("policy")) {
                    problems.add("give either autoRestart or restart.policy, not both");
                } else {
                    restart.put("policy", v.booleanValue() ? "on-failure" : "never");
                }
            }
        }
        rename(out, "dependencies", "dependsOn", "", problems);
        if (out.get("healthCheck") instanceof ObjectNode hc) {
            rename(hc, "interval", "intervalMs", "healthCheck.", problems);
            rename(hc, "timeout", "timeoutMs", "healthCheck.", problems);
        }
        if (out.get("resources") instanceof ObjectNode res) {
            rename(res, "cpu", "cpuPercent", "resources.", problems);
            rename(res, "memory", "memoryMb", "resources.", problems);
            if (res.has("disk")) {
                res.remove("disk");
                notes.add("resources.disk is accepted but not enforced by AgentDeck, and not saved");
            }
        }
        return out;
    }

    private static void rename(ObjectNode o, String from, String to, String prefix, List<String> problems) {
        if (!o.has(from)) {
            return;
        }
        if (o.has(to)) {
            problems.add("give either " + prefix + from + " or " + prefix + to + ", not both");
            o.remove(from);
            return;
        }
        o.set(to, o.remove(from));
    }

    /** Deep merge: objects field by field, null removes, anything else replaces. */
    static void merge(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode t) {
                merge(t, v); // env too: {"env": {"X": "1"}} adds X, {"env": {"X": null}} removes it
            } else {
                target.set(e.getKey(), v.deepCopy());
            }
        }
    }
}
