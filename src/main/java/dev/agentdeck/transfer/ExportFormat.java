package dev.agentdeck.transfer;

import java.util.Locale;

/** The forms AgentDeck writes agent definitions in, for the managers people move on to. */
public enum ExportFormat {
    SYSTEMD("systemd", "systemd user units"),
    SUPERVISOR("supervisor", "Supervisor config"),
    COMPOSE("compose", "Docker Compose file"),
    KUBERNETES("kubernetes", "Kubernetes Deployments");

    private final String wireName;
    private final String label;

    ExportFormat(String wireName, String label) {
        this.wireName = wireName;
        this.label = label;
    }

    public String wireName() {
        return wireName;
    }

    public String label() {
        return label;
    }

    /** Parses a wire name ({@code systemd}, {@code compose}, ...), or returns null. */
    public static ExportFormat parse(String text) {
        for (ExportFormat f : values()) {
            if (f.wireName.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }
}
