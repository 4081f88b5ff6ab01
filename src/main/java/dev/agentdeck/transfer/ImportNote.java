package dev.agentdeck.transfer;

/** A setting of the imported file that was not carried over to {@code agent}, and why. */
public record ImportNote(String agent, String field, String reason) {
    @Override
    public String toString() {
        return agent + ": " + field + ": " + reason;
    }
}
