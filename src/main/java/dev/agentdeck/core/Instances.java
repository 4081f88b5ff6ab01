package dev.agentdeck.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns agents.json's entries into the agents the engine runs. A plain entry is one agent; a definition with
 * {@code instances: N} is N agents {@code <id>-1..N}, each with {@code {instance}} and {@code {port}} resolved in
 * its args, env values, health check and daemon PID file, its own port ({@code port + i - 1}; a TCP check on the definition's port
 * follows it), and {@code instanceOf} naming the definition. A dependency on a definition is a dependency on
 * every one of its instances. Instance {@code i}'s spec does not depend on N, so scaling leaves the instances
 * that stay exactly as they were.
 */
public final class Instances {
    public static final String INSTANCE = "{instance}";
    public static final String PORT = "{port}";

    private Instances() {
    }

    /** The agents the entries run as, in the entries' order. */
    public static List<AgentSpec> expand(List<AgentSpec> entries) {
        Map<String, List<String>> idsOf = new LinkedHashMap<>();
        for (AgentSpec e : entries) {
            idsOf.put(e.id(), e.instanced() ? ids(e.id(), e.instances()) : List.of(e.id()));
        }
        List<AgentSpec> out = new ArrayList<>();
        for (AgentSpec e : entries) {
            List<Dependency> deps = dependencies(e.dependsOn(), idsOf);
            if (!e.instanced()) {
                out.add(deps.equals(e.dependsOn()) ? e : e.toBuilder().dependsOn(deps).build());
                continue;
            }
            for (int i = 1; i <= e.instances(); i++) {
                out.add(instance(e, i, deps));
            }
        }
        return out;
    }

    /** The ids of a definition's instances. */
    public static List<String> ids(String definitionId, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(definitionId + "-" + i);
        }
        return ids;
    }

    /** Instance {@code i} (from 1) of a definition. */
    public static AgentSpec instance(AgentSpec definition, int i, List<Dependency> dependsOn) {
        Integer port = definition.port() == null ? null : definition.port() + i - 1;
        String portText = port == null ? "" : port.toString();
        Map<String, String> env = new LinkedHashMap<>();
        definition.env().forEach((k, v) -> env.put(k, resolve(v, i, portText)));
        return definition.toBuilder()
                .id(definition.id() + "-" + i)
                .name(definition.name() + " #" + i)
                .args(definition.args().stream().map(a -> resolve(a, i, portText)).toList())
                .env(env)
                .port(port)
                .healthCheck(health(definition.healthCheck(), definition.port(), i, portText))
                .daemon(definition.daemon() == null ? null : new DaemonSpec(resolve(definition.daemon().pidFile(), i, portText),
                        definition.daemon().timeoutSec()))
                .dependsOn(dependsOn)
                .instances(0)
                .instanceOf(definition.id())
                .build();
    }

    static String resolve(String text, int instance, String port) {
        if (text == null || text.indexOf('{') < 0) {
            return text;
        }
        return text.replace(INSTANCE, Integer.toString(instance)).replace(PORT, port);
    }

    private static HealthCheckSpec health(HealthCheckSpec h, Integer basePort, int i, String port) {
        if (h instanceof HealthCheckSpec.Http http) {
            return new HealthCheckSpec.Http(resolve(http.endpoint(), i, port), http.timing(), http.restartOnUnhealthy());
        }
        if (h instanceof HealthCheckSpec.Tcp tcp && tcp.port() != null && tcp.port().equals(basePort)) {
            return new HealthCheckSpec.Tcp(tcp.host(), tcp.port() + i - 1, tcp.timing(), tcp.restartOnUnhealthy());
        }
        if (h instanceof HealthCheckSpec.Command c) {
            return new HealthCheckSpec.Command(c.command().stream().map(a -> resolve(a, i, port)).toList(), c.timing(),
                    c.restartOnUnhealthy());
        }
        return h;
    }

    private static List<Dependency> dependencies(List<Dependency> deps, Map<String, List<String>> idsOf) {
        List<Dependency> out = new ArrayList<>();
        for (Dependency d : deps) {
            List<String> ids = idsOf.getOrDefault(d.id(), List.of(d.id()));
            ids.forEach(id -> out.add(new Dependency(id, d.condition())));
        }
        return out;
    }
}
