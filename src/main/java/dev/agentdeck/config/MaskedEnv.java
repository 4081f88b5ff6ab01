package dev.agentdeck.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.Secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * Agents in their agents.json form with the env masked by {@link Secrets}' one rule: what API replies, saved
 * templates and config history hold in place of secret values.
 */
public final class MaskedEnv {
    private MaskedEnv() {
    }

    /** Masks the values of an agent object's {@code env} in place (secret names whole, URL passwords); returns it. */
    public static ObjectNode mask(ObjectNode agent) {
        if (agent.get("env") instanceof ObjectNode env) {
            List<String> names = new ArrayList<>();
            env.fieldNames().forEachRemaining(names::add);
            for (String k : names) {
                JsonNode v = env.get(k);
                if (v.isTextual()) {
                    env.put(k, Secrets.mask(k, v.textValue()));
                } else if (Secrets.isSecret(k) && !v.isNull()) {
                    env.put(k, Secrets.MASK); // not a string: not an agent we would run, but never its value
                }
            }
        }
        return agent;
    }
}
