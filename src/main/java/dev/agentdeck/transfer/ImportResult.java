package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;

import java.util.List;

/**
 * What reading a file of another manager gave: the agents it could read (valid on their own), the settings not
 * carried over, and the problems of what could not be read. A preview shows all three; agents are added only
 * when there is no problem, or when the user accepts the preview.
 */
public record ImportResult(ImportFormat format, List<AgentSpec> agents, List<ImportNote> notCarried,
                           List<ImportProblem> problems) {
    public ImportResult {
        agents = List.copyOf(agents);
        notCarried = List.copyOf(notCarried);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
