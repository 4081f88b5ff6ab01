package dev.agentdeck.core;

import java.util.Objects;

/** One entry of {@code dependsOn}: the agent depended on and the condition to wait for. */
public record Dependency(String id, DependencyCondition condition) {
    public Dependency {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(condition, "condition");
    }

    public static Dependency started(String id) {
        return new Dependency(id, DependencyCondition.STARTED);
    }
}
