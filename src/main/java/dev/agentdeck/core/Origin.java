package dev.agentdeck.core;

/** Whether the engine started the running process itself or adopted one that was already running. */
public enum Origin { MANAGED, ADOPTED }
