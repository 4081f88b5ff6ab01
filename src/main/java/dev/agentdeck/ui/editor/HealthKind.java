package dev.agentdeck.ui.editor;

/** The editor's choice of health check: none, or one of the engine's probe types. */
public enum HealthKind { NONE, HTTP, TCP, COMMAND }
