package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.detail.DetailView;
import dev.agentdeck.ui.util.Messages;
import javafx.scene.control.Label;
import javafx.stage.Stage;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The windows the main view opens: log viewers and agent editors; closes them with the main window. */
final class PanelWindows implements AgentWindows {
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final Supplier<Stage> owner;

    PanelWindows(ProcessService service, Executor ui, Messages msg, Supplier<Stage> owner) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.owner = owner;
    }

    @Override
    public void openLogs(List<String> agentIds) {
    }

    @Override
    public void openEditor(EditorMode mode, AgentSpec spec) {
    }

    DetailView.EmbeddedLogs embeddedLogs(String agentId) {
        Label l = new Label(agentId);
        return new DetailView.EmbeddedLogs() {
            public javafx.scene.Node view() {
                return l;
            }

            public void close() {
            }
        };
    }

    void close() {
    }
}
