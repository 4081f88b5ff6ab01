package dev.agentdeck.config;

import dev.agentdeck.core.AgentSpec;

import java.util.List;
import java.util.Optional;

/** The content of one agents.json: a format version and the agents in the order the user keeps them. */
public record WorkspaceConfig(int version, List<AgentSpec> agents) {
    public static final int CURRENT_VERSION = 1;
    public static final WorkspaceConfig EMPTY = new WorkspaceConfig(CURRENT_VERSION, List.of());

    public WorkspaceConfig {
        agents = List.copyOf(agents);
    }

    public Optional<AgentSpec> agent(String id) {
        return agents.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** A copy with {@code spec} replacing the agent of the same id, or appended when new. */
    public WorkspaceConfig with(AgentSpec spec) {
        List<AgentSpec> list = new java.util.ArrayList<>(agents);
        int i = indexOf(spec.id());
        if (i >= 0) {
            list.set(i, spec);
        } else {
            list.add(spec);
        }
        return new WorkspaceConfig(version, list);
    }

    /** A copy without the agent {@code id}. */
    public WorkspaceConfig without(String id) {
        return new WorkspaceConfig(version, agents.stream().filter(a -> !a.id().equals(id)).toList());
    }

    public int indexOf(String id) {
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
