package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;

import java.util.List;

/** The windows the main view opens for agents: the log viewer and the agent editor. */
public interface AgentWindows {
    /** How the editor starts: a new agent, an existing one, or a copy of one. */
    enum EditorMode { ADD, EDIT, DUPLICATE }

    /** Opens the log viewer on these agents (side by side). */
    void openLogs(List<String> agentIds);

    /** Opens the editor; {@code spec} is null for ADD. */
    void openEditor(EditorMode mode, AgentSpec spec);
}
