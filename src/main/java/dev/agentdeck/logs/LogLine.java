package dev.agentdeck.logs;

/** One line of an agent's output. */
public record LogLine(String agentId, LogStream stream, LogLevel level, String text) {
}
