package dev.agentdeck.core;

import java.util.Locale;

/** When a run that ended on its own is started again. */
public enum RestartPolicy {
    NEVER("never"), ON_FAILURE("on-failure"), ALWAYS("always");

    private final String wire;

    RestartPolicy(String wire) {
        this.wire = wire;
    }

    /** The name used in agents.json. */
    public String wireName() {
        return wire;
    }

    /** Parses the agents.json name, or returns null when it is none of them. */
    public static RestartPolicy parse(String text) {
        for (RestartPolicy p : values()) {
            if (p.wire.equals(text.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }
}
