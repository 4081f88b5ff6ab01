package dev.agentdeck.transfer;

/**
 * A setting of the imported file that was not carried over to {@code agent}, and why. {@code agent} is empty
 * for a note about the file as a whole (a section or top-level setting that belongs to no agent).
 */
public record ImportNote(String agent, String field, String reason) {
    /** A note about the file rather than one agent. */
    public static ImportNote ofFile(String field, String reason) {
        return new ImportNote("", field, reason);
    }

    @Override
    public String toString() {
        return (agent == null || agent.isEmpty() ? "" : agent + ": ") + field + ": " + reason;
    }
}
