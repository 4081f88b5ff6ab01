package dev.agentdeck.core;

/** The kinds of {@link EngineError}; faces map them to their own forms (HTTP status, exit code). */
public enum ErrorCode {
    /** No agent with that id. */
    NOT_FOUND,
    /** The request or the config is invalid; details name every problem. */
    INVALID,
    /** The agent's state does not allow the request (e.g. resume while running). */
    CONFLICT,
    /** A limit such as maxAgents refused it. */
    LIMIT,
    /** The action was tried and failed (the process crashed on start, a stop left survivors). */
    FAILED,
    /** A file could not be read or written. */
    IO
}
