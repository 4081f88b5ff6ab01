package dev.agentdeck.transfer;

import java.util.Locale;

/** The agent definitions AgentDeck reads from other process managers. */
public enum ImportFormat {
    SUPERVISOR("supervisor", "Supervisor config ([program:x] sections)"),
    PM2("pm2", "PM2 ecosystem file (JSON) or pm2 jlist output"),
    PROCESS_COMPOSE("process-compose", "process-compose YAML"),
    PROCFILE("procfile", "Procfile");

    private final String wireName;
    private final String label;

    ImportFormat(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    public String wireName() {
        return wireName;
    }

    public String label() {
        return label;
    }

    /** Parses a wire name ({@code supervisor}, {@code pm2}, ...), or returns null. */
    public static ImportFormat parse(String text) {
        for (ImportFormat f : values()) {
            if (f.wireName.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }
}
