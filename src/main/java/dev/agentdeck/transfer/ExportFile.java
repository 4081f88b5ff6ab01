package dev.agentdeck.transfer;

/** One file an export writes: its name (no folders) and its text. */
public record ExportFile(String name, String content) {
}
