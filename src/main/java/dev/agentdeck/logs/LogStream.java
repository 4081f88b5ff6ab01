package dev.agentdeck.logs;

/** Which of an agent's two log files a line came from. */
public enum LogStream { OUT, ERR }
