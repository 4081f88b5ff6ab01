package dev.agentdeck.ui.editor;

import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.ui.util.Messages;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The editor's window: Save goes through the engine and closes only when the agent was saved; Cancel and the
 * window's close button ask before dropping changes; Remove asks, then removes the agent.
 */
public final class AgentEditorWindow implements AgentEditorView.Actions {
    private final AgentEditorViewModel vm;
    private final Messages msg;
    private final Stage stage = new Stage();
    private final AgentEditorView view;

    public AgentEditorWindow(AgentEditorViewModel vm, Messages msg, Window owner, List<String> stylesheets) {
        this.vm = vm;
        this.msg = msg;
        this.view = new AgentEditorView(vm, msg, this);
        FXMLLoader loader = new FXMLLoader(AgentEditorWindow.class.getResource("AgentEditor.fxml"), msg.bundle());
        loader.setController(view);
        Parent parent;
        try {
            parent = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the agent editor could not be loaded", e);
        }
        Scene scene = new Scene(parent, 720, 600);
        scene.getStylesheets().addAll(stylesheets);
        stage.setScene(scene);
        dev.agentdeck.ui.util.AppIcon.apply(stage);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle(title());
        stage.setOnCloseRequest(e -> {
            if (!mayDiscard()) {
                e.consume();
            }
        });
        stage.setOnHidden(e -> vm.close());
    }

    private String title() {
        return switch (vm.mode()) {
            case ADD -> msg.get("editor.title.add");
            case EDIT -> msg.get("editor.title.edit", vm.original().name());
            case DUPLICATE -> msg.get("editor.title.duplicate", vm.nameProperty().get());
        };
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    @Override
    public void save() {
        if (!vm.canSaveProperty().get()) {
            return;
        }
        vm.save().thenAccept(saved -> javafx.application.Platform.runLater(stage::close));
    }

    @Override
    public void cancel() {
        if (mayDiscard()) {
            stage.close();
        }
    }

    @Override
    public void remove() {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, msg.get("confirm.remove", 1, vm.original().name()),
                ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(stage);
        confirm.setHeaderText(msg.get("confirm.removeTitle", 1));
        confirm.showAndWait().filter(b -> b == ButtonType.OK)
                .ifPresent(b -> vm.remove().thenRun(() -> javafx.application.Platform.runLater(stage::close)));
    }

    private boolean mayDiscard() {
        if (!vm.dirtyProperty().get() || vm.mode() != EditorMode.EDIT && vm.idProperty().get().isBlank()
                && vm.commandProperty().get().isBlank()) {
            return true;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, msg.get("editor.discard"), ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(stage);
        confirm.setHeaderText(msg.get("editor.discardTitle"));
        return confirm.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    public Stage stage() {
        return stage;
    }

    public AgentEditorView view() {
        return view;
    }

    public AgentEditorViewModel viewModel() {
        return vm;
    }

    public void close() {
        stage.close();
    }
}
