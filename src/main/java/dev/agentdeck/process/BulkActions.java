package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DependencyGraph;
import dev.agentdeck.core.EngineException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Start-all and stop-all in dependency order: an agent starts once everything it depends on has started,
 * and stops once everything that depends on it has stopped; agents that do not wait on each other go in
 * parallel. An agent whose dependency failed is skipped, with the reason.
 */
final class BulkActions {
    private BulkActions() {
    }

    /** Starts {@code ids} and, first, whatever they depend on. */
    static CompletableFuture<BulkResult> start(List<AgentSpec> specs, Set<String> ids,
                                               Function<String, CompletableFuture<AgentStatus>> start,
                                               Function<String, AgentStatus> current) {
        DependencyGraph graph = new DependencyGraph(specs);
        Set<String> wanted = withDependencies(graph, ids);
        Map<String, CompletableFuture<BulkResult.Item>> done = new LinkedHashMap<>();
        for (String id : graph.startOrder()) {
            if (!wanted.contains(id)) {
                continue;
            }
            List<CompletableFuture<BulkResult.Item>> deps = graph.dependenciesOf(id).stream().map(done::get).toList();
            done.put(id, CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new)).thenCompose(v -> {
                for (CompletableFuture<BulkResult.Item> d : deps) {
                    BulkResult.Item item = d.join();
                    if (!item.ok()) {
                        return CompletableFuture.completedFuture(new BulkResult.Item(id, false, current.apply(id).state(),
                                "skipped: dependency \"" + item.id() + "\" did not start"));
                    }
                }
                return start.apply(id).handle((s, t) -> item(id, s, t, current, BulkActions::started));
            }));
        }
        return collect(done);
    }

    /** Stops {@code ids}, each after the agents that depend on it. */
    static CompletableFuture<BulkResult> stop(List<AgentSpec> specs, Set<String> ids,
                                              Function<String, CompletableFuture<AgentStatus>> stop,
                                              Function<String, AgentStatus> current) {
        DependencyGraph graph = new DependencyGraph(specs);
        List<String> order = new ArrayList<>(graph.startOrder());
        java.util.Collections.reverse(order);
        Map<String, CompletableFuture<BulkResult.Item>> done = new LinkedHashMap<>();
        for (String id : order) {
            List<CompletableFuture<BulkResult.Item>> dependents = graph.dependentsOf(id).stream()
                    .map(done::get).filter(java.util.Objects::nonNull).toList();
            CompletableFuture<BulkResult.Item> f = CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> ids.contains(id)
                            ? stop.apply(id).handle((s, t) -> item(id, s, t, current, st -> !st.state().hasProcess()))
                            : CompletableFuture.completedFuture((BulkResult.Item) null));
            done.put(id, f);
        }
        return collect(done);
    }

    private static BulkResult.Item item(String id, AgentStatus s, Throwable t, Function<String, AgentStatus> current,
                                        java.util.function.Predicate<AgentStatus> ok) {
        if (t != null) {
            return new BulkResult.Item(id, false, current.apply(id).state(), EngineException.of(t).message());
        }
        return new BulkResult.Item(id, ok.test(s), s.state(), s.message());
    }

    /** A start counts when the agent runs, or ran and exited cleanly. */
    private static boolean started(AgentStatus s) {
        return s.state() != AgentState.FAILED && s.state() != AgentState.FATAL;
    }

    private static Set<String> withDependencies(DependencyGraph graph, Set<String> ids) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(ids);
        while (!todo.isEmpty()) {
            String id = todo.remove(todo.size() - 1);
            if (out.add(id)) {
                todo.addAll(graph.dependenciesOf(id));
            }
        }
        return out;
    }

    private static CompletableFuture<BulkResult> collect(Map<String, CompletableFuture<BulkResult.Item>> done) {
        return CompletableFuture.allOf(done.values().toArray(CompletableFuture[]::new))
                .thenApply(v -> new BulkResult(done.values().stream().map(CompletableFuture::join)
                        .filter(java.util.Objects::nonNull).toList()));
    }
}
