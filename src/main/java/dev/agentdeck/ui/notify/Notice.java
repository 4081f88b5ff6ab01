package dev.agentdeck.ui.notify;

/** A notification to show: a title, a sentence, and whether it is a warning or an error. */
public record Notice(String title, String text, boolean error) {
}
