package dev.agentdeck.core;

/** The result of an agent's health checks; UNKNOWN until a check has decided. */
public enum Health { UNKNOWN, HEALTHY, UNHEALTHY }
