package dev.agentdeck.transfer;

/**
 * Something in the imported file that is wrong, at {@code line} (1-based; 0 when the format has no lines to
 * point at) and {@code field} (the setting, or the section, as the file names it).
 */
public record ImportProblem(String source, int line, String field, String message) {
    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line : "") + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + message;
    }
}
