package dev.agentdeck.process;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.DependencyGraph;
import dev.agentdeck.core.EngineException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Start-all and stop-all in dependency order: an agent starts once every dependency meets its condition
 * (started and ready, healthy, or completed), and stops once everything that depends on it has stopped;
 * agents that do not wait on each other go in parallel. An agent whose dependency did not come up is
 * skipped, with the reason.
 */
final class BulkActions {
    /** What bulk actions need of the engine. */
    interface Agents {
        CompletableFuture<AgentStatus> start(String id);

        CompletableFuture<AgentStatus> stop(String id);

        AgentStatus current(String id);

        /** Completes when {@code id} meets {@code condition}; fails with the reason when it cannot, or at the timeout. */
        CompletableFuture<AgentStatus> await(String id, DependencyCondition condition);
    }

    private BulkActions() {
    }

    /** Starts {@code ids} and, first, whatever they depend on. */
    static CompletableFuture<BulkResult> start(List<AgentSpec> specs, Set<String> ids, Agents agents) {
        DependencyGraph graph = new DependencyGraph(specs);
        Map<String, AgentSpec> byId = new LinkedHashMap<>();
        specs.forEach(s -> byId.put(s.id(), s));
        Set<String> wanted = withDependencies(graph, ids);
        Map<String, CompletableFuture<BulkResult.Item>> done = new LinkedHashMap<>();
        for (String id : graph.startOrder()) {
            if (!wanted.contains(id)) {
                continue;
            }
            List<CompletableFuture<String>> gates = new ArrayList<>();
            for (Dependency d : byId.get(id).dependsOn()) {
                CompletableFuture<BulkResult.Item> started = done.get(d.id());
                if (started != null) {
                    gates.add(started.thenCompose(item -> agents.await(d.id(), d.condition()))
                            .handle((s, t) -> t == null ? null : EngineException.of(t).message()));
                }
            }
            done.put(id, CompletableFuture.allOf(gates.toArray(CompletableFuture[]::new)).thenCompose(v -> {
                for (CompletableFuture<String> gate : gates) {
                    String why = gate.join();
                    if (why != null) {
                        return CompletableFuture.completedFuture(new BulkResult.Item(id, false,
                                agents.current(id).state(), "skipped: " + why));
                    }
                }
                return agents.start(id).handle((s, t) -> item(id, s, t, agents, BulkActions::started));
            }));
        }
        return collect(done);
    }

    /** Stops {@code ids}, each after the agents that depend on it. */
    static CompletableFuture<BulkResult> stop(List<AgentSpec> specs, Set<String> ids, Agents agents) {
        DependencyGraph graph = new DependencyGraph(specs);
        List<String> order = new ArrayList<>(graph.startOrder());
        Collections.reverse(order);
        Map<String, CompletableFuture<BulkResult.Item>> done = new LinkedHashMap<>();
        for (String id : order) {
            List<CompletableFuture<BulkResult.Item>> dependents = graph.dependentsOf(id).stream()
                    .map(done::get).filter(Objects::nonNull).toList();
            done.put(id, CompletableFuture.allOf(dependents.toArray(CompletableFuture[]::new))
                    .thenCompose(v -> ids.contains(id)
                            ? agents.stop(id).handle((s, t) -> item(id, s, t, agents, st -> !st.state().hasProcess()))
                            : CompletableFuture.completedFuture((BulkResult.Item) null)));
        }
        return collect(done);
    }

    /** The test a dependency's status must pass for {@code condition}. */
    static Predicate<AgentStatus> met(DependencyCondition condition) {
        return switch (condition) {
            case STARTED -> s -> (s.state() == AgentState.RUNNING && s.ready())
                    || (s.state() == AgentState.EXITED && s.lastExit() != null && s.lastExit().clean());
            case HEALTHY -> s -> s.state() == AgentState.RUNNING && s.ready() && s.health() == dev.agentdeck.core.Health.HEALTHY;
            case COMPLETED -> s -> s.state() == AgentState.EXITED && s.lastExit() != null && s.lastExit().clean();
        };
    }

    /** Why a dependency can no longer meet {@code condition}, or null while it still can. */
    static String hopeless(String id, DependencyCondition condition, AgentStatus s) {
        return switch (s.state()) {
            case FATAL -> "dependency \"" + id + "\" gave up: " + s.message();
            case FAILED -> "dependency \"" + id + "\" failed: " + s.message();
            case STOPPED -> "dependency \"" + id + "\" was stopped";
            case EXITED -> condition == DependencyCondition.COMPLETED ? null : "dependency \"" + id + "\" exited: " + s.message();
            default -> null;
        };
    }

    /** What waiting for {@code condition} of {@code id} is called in messages. */
    static String waitingFor(String id, DependencyCondition condition) {
        return switch (condition) {
            case STARTED -> "dependency \"" + id + "\" to start";
            case HEALTHY -> "dependency \"" + id + "\" to become healthy";
            case COMPLETED -> "dependency \"" + id + "\" to complete";
        };
    }

    private static BulkResult.Item item(String id, AgentStatus s, Throwable t, Agents agents, Predicate<AgentStatus> ok) {
        if (t != null) {
            return new BulkResult.Item(id, false, agents.current(id).state(), EngineException.of(t).message());
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
                        .filter(Objects::nonNull).toList()));
    }
}
