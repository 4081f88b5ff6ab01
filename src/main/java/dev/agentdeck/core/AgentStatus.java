package dev.agentdeck.core;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of one agent at one moment: what faces draw. A new snapshot is published on
 * every change; nobody polls.
 *
 * @param pid         the running process (group leader), or null
 * @param startedAt   when the current run started, or null
 * @param lastExit    how the previous run ended, or null
 * @param restarts    automatic restarts since the agent was last started by hand
 * @param message     the latest notable thing, for people ("verified after 100 ms", "start failed: ...")
 * @param nextRetryAt in BACKOFF, when the next start is tried
 * @param usage       the latest resource sample of the process tree, or null
 * @param warnings    standing warnings (e.g. CPU above its limit), empty when none
 * @param changed     the agent's configuration changed since this run started
 */
public record AgentStatus(
        String id,
        String name,
        AgentState state,
        Health health,
        Origin origin,
        Long pid,
        Instant startedAt,
        ExitInfo lastExit,
        int restarts,
        String message,
        Instant nextRetryAt,
        Usage usage,
        List<String> warnings,
        boolean changed,
        Instant updatedAt) {

    public AgentStatus {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The status of an agent that has never run. */
    public static AgentStatus initial(String id, String name) {
        return new AgentStatus(id, name, AgentState.STOPPED, Health.UNKNOWN, Origin.MANAGED, null, null, null, 0,
                null, null, null, List.of(), false, Instant.now());
    }

    /** Uptime of the current run in milliseconds at {@code now}, or 0 when not running. */
    public long uptimeMs(Instant now) {
        return startedAt == null || !state.hasProcess() ? 0 : Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli());
    }
}
