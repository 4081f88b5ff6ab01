package dev.agentdeck.logs;

/** A line's severity, most severe first; NONE when nothing was recognised. */
public enum LogLevel { ERROR, WARN, INFO, DEBUG, NONE }
