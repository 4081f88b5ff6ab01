package dev.agentdeck.core;

import java.util.Locale;

/**
 * The kinds of {@link AgentEvent}. Wire names are lower_snake_case and include the Spawn API's event
 * types (spawned, stopped, restarted, error, unhealthy, health_check_passed, health_check_failed).
 */
public enum EventType {
    SPAWNED, STOPPED, EXITED, FAILED, RESTARTED, SIGNAL_SENT, PAUSED, RESUMED, ERROR,
    BACKOFF, FATAL, READY, HEALTH_CHECK_PASSED, HEALTH_CHECK_FAILED, UNHEALTHY, RESOURCE_LIMIT, CPU_WARNING,
    ADOPTED, PID_FILE_STALE, PORT_CONFLICT, LEFTOVER_KILLED,
    AGENT_ADDED, AGENT_REMOVED, AGENT_CHANGED, CONFIG_RELOADED, CONFIG_INVALID,
    SCHEDULE_FIRED, SCHEDULE_SKIPPED, WATCH_RESTART, PERMISSIONS_TIGHTENED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, or returns null. */
    public static EventType parse(String text) {
        for (EventType t : values()) {
            if (t.wireName().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
