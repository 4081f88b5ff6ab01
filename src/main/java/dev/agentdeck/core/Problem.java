package dev.agentdeck.core;

/**
 * One thing wrong with a configuration, naming where it is: {@code agents[2] "worker": cwd "/nope" does not exist}.
 *
 * @param where the place, e.g. {@code agents[2] "worker"} or {@code agents.json}
 * @param what  what is wrong there, starting with the field name when there is one
 */
public record Problem(String where, String what) {
    @Override
    public String toString() {
        return where + ": " + what;
    }
}
