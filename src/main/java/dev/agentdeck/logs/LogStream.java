package dev.agentdeck.logs;

/** Which of an agent's two outputs a line came from. */
public enum LogStream { OUT, ERR }
