package dev.agentdeck.core;

import java.time.Instant;

/**
 * The engine's own counters since it started: starts asked for (by people and by restart policies), starts
 * that were verified and that failed, control commands (stop, restart, kill, pause, resume, signal), and
 * errors reported.
 */
public record EngineStats(Instant startedAt, long spawnRequests, long spawnSuccesses, long spawnFailures,
                          long controlCommands, long errors) {
}
