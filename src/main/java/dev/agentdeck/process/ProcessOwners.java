package dev.agentdeck.process;

import dev.agentdeck.os.ProcessTable;
import dev.agentdeck.os.Signals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Tells which agent of this workspace a process that left every tree belongs to, from what it carries with it:
 * the agent's identity in its environment ({@code AGENTDECK_AGENT_ID} with this workspace's
 * {@code AGENTDECK_DATA_DIR}), or, for one that cleared its environment, the agent's live log file held open for
 * writing (inherited stdout or stderr; a reader such as {@code tail -f} does not count). Only processes of this
 * engine's own user are ever attributed.
 */
final class ProcessOwners {
    private static final List<String> IDENTITY = List.of(LaunchPlanner.DATA_DIR_ENV, LaunchPlanner.AGENT_ID_ENV);
    private static final List<String> LOG_SUFFIXES = List.of(".out.log", ".err.log");

    private final ProcessTable table;
    private final String dataDir;
    private final Path logsDir;
    private final long selfUid;

    ProcessOwners(ProcessTable table, String dataDir, Path logsDir) {
        this.table = table;
        this.dataDir = dataDir;
        this.logsDir = logsDir.toAbsolutePath().normalize();
        this.selfUid = table.uid(Signals.selfPid());
    }

    /** The agent the process belongs to, or "" when it carries nothing of one. */
    String agentOf(long pid) {
        if (selfUid < 0 || table.uid(pid) != selfUid) {
            return "";
        }
        Map<String, String> env = table.environmentVariables(pid, IDENTITY);
        if (env.containsKey(LaunchPlanner.AGENT_ID_ENV)) {
            return dataDir.equals(env.get(LaunchPlanner.DATA_DIR_ENV)) ? env.get(LaunchPlanner.AGENT_ID_ENV) : "";
        }
        for (Path f : table.filesOpenForWriting(pid)) {
            String agent = logOwner(f);
            if (!agent.isEmpty()) {
                return agent;
            }
        }
        return "";
    }

    /** The agent whose live log {@code file} is ({@code logs/<id>.out.log} or {@code .err.log}), else "". */
    private String logOwner(Path file) {
        if (!logsDir.equals(file.getParent())) {
            return "";
        }
        String name = file.getFileName().toString();
        for (String suffix : LOG_SUFFIXES) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return "";
    }
}
