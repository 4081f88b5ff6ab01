package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.ui.badges.AgentRowViewModel;

import java.util.List;
import java.util.function.Consumer;

/**
 * The windows the main view opens for agents: the log viewer, the agent editor, import, export, templates and
 * scaling.
 */
public interface AgentWindows {
    /** How the editor starts: a new agent, an existing one, or a copy of one. */
    enum EditorMode { ADD, EDIT, DUPLICATE }

    /** Opens the log viewer on these agents (side by side). */
    void openLogs(List<String> agentIds);

    /**
     * Opens the editor; {@code spec} is null for an empty ADD, or the agent a new one starts from. Editing or
     * copying an instance opens its definition, which all its instances share.
     */
    void openEditor(EditorMode mode, AgentSpec spec);

    /** Asks for another manager's file and previews what importing it adds; {@code added} learns what was added. */
    void openImport(Consumer<List<AgentSpec>> added);

    /** Opens the export dialog; {@code selectedIds} (maybe empty) are the agents selected in the table. */
    void openExport(List<String> selectedIds);

    /** Lists the templates; the one chosen opens in the editor as a new agent. */
    void openNewFromTemplate();

    /** Asks for a template's id, name and description and saves the agent's definition as a user template. */
    void openSaveTemplate(AgentRowViewModel row);

    /** Asks how many instances the agent's definition should run, and scales it. */
    void openScale(AgentRowViewModel row);
}
