package dev.agentdeck.ui.notify;

/** A desktop notification to show: a title, a line of text, and whether it reports a failure. */
public record Notice(String title, String text, boolean error) {
    /** The same notice naming the workspace it is about (when the panel shows several). */
    public Notice in(String workspace) {
        return new Notice(workspace + ": " + title, text, error);
    }
}
