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

    /**
     * The agents with working directories as the other manager meant them when it ran the file in {@code folder}:
     * PM2, process-compose and foreman run processes relative to (and, without a directory, in) the folder of their
     * file, while AgentDeck resolves a relative cwd against its own config folder. Supervisor's relative directories
     * are relative to supervisord's working directory, which the file does not say, so they stay as written.
     */
    public ImportResult relativeTo(java.nio.file.Path folder) {
        if (format == ImportFormat.SUPERVISOR || folder == null) {
            return this;
        }
        java.nio.file.Path base = folder.toAbsolutePath().normalize();
        List<AgentSpec> rebased = agents.stream().map(a -> {
            String cwd = a.cwd() == null ? base.toString()
                    : a.cwd().startsWith("~") || java.nio.file.Path.of(a.cwd()).isAbsolute() ? a.cwd()
                    : base.resolve(a.cwd()).normalize().toString();
            return cwd.equals(a.cwd()) ? a : a.toBuilder().cwd(cwd).build();
        }).toList();
        return new ImportResult(format, rebased, notCarried, problems);
    }
}
