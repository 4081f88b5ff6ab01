package dev.agentdeck.logs;

/**
 * One line of an agent's output.
 *
 * @param agentId the agent, or null for a note the panel adds itself (lines skipped while it caught up)
 */
public record LogLine(String agentId, LogStream stream, LogLevel level, String text) {
}
