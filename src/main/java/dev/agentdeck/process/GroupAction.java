package dev.agentdeck.process;

import java.util.Locale;

/** What a group action does to every agent carrying a tag. */
public enum GroupAction {
    START, STOP, RESTART;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name, or returns null. */
    public static GroupAction parse(String text) {
        for (GroupAction a : values()) {
            if (a.wireName().equals(text)) {
                return a;
            }
        }
        return null;
    }
}
