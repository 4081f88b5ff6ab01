package dev.agentdeck.api;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Agent specs as they cross the wire: env values masked by {@link Secrets}' rule, and put back when a mask returns. */
public final class WireForms {
    private WireForms() {
    }

    public static List<AgentSpec> masked(List<AgentSpec> specs) {
        return specs.stream().map(WireForms::masked).toList();
    }

    public static AgentSpec masked(AgentSpec spec) {
        Map<String, String> env = Secrets.mask(spec.env());
        return env.equals(spec.env()) ? spec : spec.toBuilder().env(env).build();
    }

    /** {@code incoming} with each masked env value replaced by the value {@code existing} has for that name. */
    public static AgentSpec unmasked(AgentSpec incoming, AgentSpec existing) {
        if (existing == null || incoming.env().values().stream().noneMatch(Secrets::isMasked)) {
            return incoming;
        }
        Map<String, String> env = new LinkedHashMap<>(incoming.env());
        env.replaceAll((k, v) -> Secrets.isMasked(v) ? Secrets.unmask(v, existing.env().get(k)) : v);
        return incoming.toBuilder().env(env).build();
    }
}
