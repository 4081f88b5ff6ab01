package dev.agentdeck.core;

import java.util.Locale;

/** What a dependent waits for before it starts: the dependency started, passed its health check, or ran and exited 0. */
public enum DependencyCondition {
    STARTED, HEALTHY, COMPLETED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the agents.json name, or null. */
    public static DependencyCondition parse(String text) {
        for (DependencyCondition c : values()) {
            if (c.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        return null;
    }
}
