package dev.agentdeck.logs;

/** Severity detected from a line; NONE when nothing was recognised. Ordered most to least severe. */
public enum LogLevel { ERROR, WARN, INFO, DEBUG, NONE }
