package dev.agentdeck.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code dependsOn} relation of a set of agents: cycle detection and the order to start them in.
 * Dependencies on ids outside the set are ignored here (validation reports them).
 */
public final class DependencyGraph {
    private final Map<String, List<String>> deps = new LinkedHashMap<>();
    private final Map<String, List<String>> dependents = new HashMap<>();

    public DependencyGraph(List<AgentSpec> specs) {
        for (AgentSpec s : specs) {
            deps.putIfAbsent(s.id(), new ArrayList<>());
        }
        for (AgentSpec s : specs) {
            for (String d : s.dependencyIds()) {
                if (deps.containsKey(d) && !deps.get(s.id()).contains(d)) {
                    deps.get(s.id()).add(d);
                    dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(s.id());
                }
            }
        }
    }

    /** The ids {@code id} depends on (within the set). */
    public List<String> dependenciesOf(String id) {
        return Collections.unmodifiableList(deps.getOrDefault(id, List.of()));
    }

    /** The ids that depend on {@code id}. */
    public List<String> dependentsOf(String id) {
        return Collections.unmodifiableList(dependents.getOrDefault(id, List.of()));
    }

    /** A cycle as a path that starts and ends at the same id ({@code a -> b -> a}), if there is one. */
    public Optional<List<String>> findCycle() {
        Map<String, Integer> color = new HashMap<>(); // 0 white, 1 on stack, 2 done
        for (String start : deps.keySet()) {
            if (color.getOrDefault(start, 0) == 0) {
                List<String> stack = new ArrayList<>();
                List<String> cycle = visit(start, color, stack);
                if (cycle != null) {
                    return Optional.of(cycle);
                }
            }
        }
        return Optional.empty();
    }

    private List<String> visit(String id, Map<String, Integer> color, List<String> stack) {
        color.put(id, 1);
        stack.add(id);
        for (String d : deps.get(id)) {
            int c = color.getOrDefault(d, 0);
            if (c == 1) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(d), stack.size()));
                cycle.add(d);
                return cycle;
            }
            if (c == 0) {
                List<String> found = visit(d, color, stack);
                if (found != null) {
                    return found;
                }
            }
        }
        stack.remove(stack.size() - 1);
        color.put(id, 2);
        return null;
    }

    /** Ids in an order where every agent comes after its dependencies (config order among equals). */
    public List<String> startOrder() {
        Set<String> done = new LinkedHashSet<>();
        boolean progress = true;
        while (done.size() < deps.size() && progress) {
            progress = false;
            for (var e : deps.entrySet()) {
                if (!done.contains(e.getKey()) && done.containsAll(e.getValue())) {
                    done.add(e.getKey());
                    progress = true;
                }
            }
        }
        if (done.size() < deps.size()) {
            throw new IllegalStateException("dependency cycle: " + findCycle().map(DependencyGraph::render).orElse("?"));
        }
        return List.copyOf(done);
    }

    /** Renders a cycle path as {@code a -> b -> a}. */
    public static String render(List<String> cycle) {
        return String.join(" -> ", cycle);
    }
}
