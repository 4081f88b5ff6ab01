package dev.agentdeck.core;

import java.util.Locale;

/** What happens when an agent's memory stays above its limit. */
public enum LimitAction {
    RESTART, STOP, WARN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the agents.json name, or null. */
    public static LimitAction parse(String text) {
        for (LimitAction a : values()) {
            if (a.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        return null;
    }
}
