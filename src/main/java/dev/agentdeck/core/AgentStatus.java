package dev.agentdeck.core;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of one agent at one moment: what faces draw. A new snapshot is published on
 * every change; nobody polls.
 *
 * @param pid           the running process (group leader), or null
 * @param startedAt     when the current run started, or null
 * @param lastExit      how the previous run ended, or null
 * @param restarts      restarts (automatic or asked for) since the agent was last started by hand
 * @param message       the latest notable thing, for people ("running", "start failed: ...")
 * @param nextRetryAt   in BACKOFF, when the next start is tried
 * @param usage         the latest resource sample of the process tree, or null
 * @param warnings      standing warnings (e.g. CPU above its limit), empty when none
 * @param changed       the agent's configuration changed since this run started
 * @param ready         the run counts as started for its dependents (verified, and its readyLogLine seen)
 * @param healthMessage what the last health probe said, or null
 * @param removed       the agent was removed from agents.json but still runs, waiting for a confirmed stop
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
        boolean ready,
        String healthMessage,
        boolean removed,
        Instant updatedAt) {

    public AgentStatus {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** The status of an agent that has never run. */
    public static AgentStatus initial(String id, String name) {
        return new AgentStatus(id, name, AgentState.STOPPED, Health.UNKNOWN, Origin.MANAGED, null, null, null, 0,
                null, null, null, List.of(), false, false, null, false, Instant.now());
    }

    /** Uptime of the current run in milliseconds at {@code now}, or 0 when not running. */
    public long uptimeMs(Instant now) {
        return startedAt == null || !state.hasProcess() ? 0 : Math.max(0, now.toEpochMilli() - startedAt.toEpochMilli());
    }

    /** This snapshot with another usage sample, keeping its time (usage changes every tick; state does not). */
    public AgentStatus withUsage(Usage u) {
        return new AgentStatus(id, name, state, health, origin, pid, startedAt, lastExit, restarts, message, nextRetryAt,
                u, warnings, changed, ready, healthMessage, removed, updatedAt);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copies a status with some fields changed; {@link #build()} stamps the time. */
    public static final class Builder {
        private String id;
        private String name;
        private AgentState state;
        private Health health;
        private Origin origin;
        private Long pid;
        private Instant startedAt;
        private ExitInfo lastExit;
        private int restarts;
        private String message;
        private Instant nextRetryAt;
        private Usage usage;
        private List<String> warnings;
        private boolean changed;
        private boolean ready;
        private String healthMessage;
        private boolean removed;

        private Builder(AgentStatus s) {
            id = s.id;
            name = s.name;
            state = s.state;
            health = s.health;
            origin = s.origin;
            pid = s.pid;
            startedAt = s.startedAt;
            lastExit = s.lastExit;
            restarts = s.restarts;
            message = s.message;
            nextRetryAt = s.nextRetryAt;
            usage = s.usage;
            warnings = s.warnings;
            changed = s.changed;
            ready = s.ready;
            healthMessage = s.healthMessage;
            removed = s.removed;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder state(AgentState v) { state = v; return this; }
        public Builder health(Health v) { health = v; return this; }
        public Builder origin(Origin v) { origin = v; return this; }
        public Builder pid(Long v) { pid = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder lastExit(ExitInfo v) { lastExit = v; return this; }
        public Builder restarts(int v) { restarts = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder nextRetryAt(Instant v) { nextRetryAt = v; return this; }
        public Builder usage(Usage v) { usage = v; return this; }
        public Builder warnings(List<String> v) { warnings = v; return this; }
        public Builder changed(boolean v) { changed = v; return this; }
        public Builder ready(boolean v) { ready = v; return this; }
        public Builder healthMessage(String v) { healthMessage = v; return this; }
        public Builder removed(boolean v) { removed = v; return this; }

        /** Clears everything that belongs to a run (for a status after the run ended). */
        public Builder endOfRun() {
            pid = null;
            startedAt = null;
            health = Health.UNKNOWN;
            healthMessage = null;
            usage = null;
            warnings = List.of();
            ready = false;
            changed = false;
            nextRetryAt = null;
            return this;
        }

        public AgentStatus build() {
            return new AgentStatus(id, name, state, health, origin, pid, startedAt, lastExit, restarts, message,
                    nextRetryAt, usage, warnings, changed, ready, healthMessage, removed, Instant.now());
        }
    }
}
