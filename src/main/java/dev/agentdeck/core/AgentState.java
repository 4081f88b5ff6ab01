package dev.agentdeck.core;

/**
 * Where an agent is in its life cycle. Health and origin are kept apart (see {@link Health}, {@link Origin}).
 *
 * <pre>STOPPED -> STARTING -> RUNNING -> STOPPING -> STOPPED</pre>
 * A run that ends on its own goes to EXITED (code 0) or FAILED; with a restart policy it waits in BACKOFF
 * and starts again, and after too many failed starts it gives up in FATAL. PAUSED is SIGSTOP'd.
 */
public enum AgentState {
    STOPPED, STARTING, RUNNING, STOPPING, EXITED, FAILED, BACKOFF, FATAL, PAUSED;

    /** True while a process of the agent exists (or is being started or stopped). */
    public boolean hasProcess() {
        return this == STARTING || this == RUNNING || this == STOPPING || this == PAUSED;
    }

    /** True when a start request would launch a new process from this state. */
    public boolean canStart() {
        return this == STOPPED || this == EXITED || this == FAILED || this == FATAL || this == BACKOFF;
    }
}
