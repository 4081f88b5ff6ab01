package dev.agentdeck.logs;

/**
 * One line of an agent's output.
 *
 * @param agentId the agent, or null for a line the panel adds (a note that lines were skipped)
 */
public record LogLine(String agentId, LogStream stream, LogLevel level, String text) {
}
