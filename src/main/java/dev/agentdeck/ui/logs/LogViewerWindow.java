package dev.agentdeck.ui.logs;

import dev.agentdeck.ui.util.Messages;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The log viewer: its own window with one log pane per shown agent side by side, or one merged pane. */
public final class LogViewerWindow {
    private final LogViewerViewModel vm;
    private final Messages msg;
    private final Stage stage = new Stage();
    private final List<LogPaneView> views = new ArrayList<>();
    @FXML
    private BorderPane root;
    @FXML
    private CheckComboBox<String> agents;
    @FXML
    private ToggleButton merged;
    @FXML
    private SplitPane panes;
    @FXML
    private Label none;

    public LogViewerWindow(LogViewerViewModel vm, Messages msg, Window owner, List<String> stylesheets) {
        this.vm = vm;
        this.msg = msg;
        FXMLLoader loader = new FXMLLoader(LogViewerWindow.class.getResource("LogViewer.fxml"), msg.bundle());
        loader.setController(this);
        Parent parent;
        try {
            parent = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the log viewer could not be loaded", e);
        }
        Scene scene = new Scene(parent, 1100, 640);
        scene.getStylesheets().addAll(stylesheets);
        stage.setScene(scene);
        dev.agentdeck.ui.util.AppIcon.apply(stage);
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setOnHidden(e -> vm.close());
        updateTitle();
    }

    @FXML
    private void initialize() {
        agents.getItems().setAll(vm.agents().keySet());
        agents.setConverter(new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null ? "" : vm.agents().getOrDefault(id, id);
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        vm.shown().forEach(id -> agents.getCheckModel().check(id));
        agents.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c ->
                vm.shown().setAll(new ArrayList<>(agents.getCheckModel().getCheckedItems())));
        merged.selectedProperty().bindBidirectional(vm.mergedProperty());
        none.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.panes()));
        showPanes();
        vm.panes().addListener((ListChangeListener<LogPaneViewModel>) c -> showPanes());
        vm.shown().addListener((ListChangeListener<String>) c -> updateTitle());
    }

    private void showPanes() {
        views.clear();
        List<javafx.scene.Node> nodes = new ArrayList<>();
        for (LogPaneViewModel pane : vm.panes()) {
            LogPaneView view = LogPaneView.create(pane, msg);
            views.add(view);
            nodes.add(view.root());
        }
        panes.getItems().setAll(nodes);
        for (int i = 1; i < nodes.size(); i++) {
            panes.setDividerPosition(i - 1, (double) i / nodes.size());
        }
    }

    private void updateTitle() {
        List<String> names = vm.shown().stream().map(id -> vm.agents().getOrDefault(id, id)).toList();
        stage.setTitle(msg.get("logs.title", String.join(", ", names)));
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public Stage stage() {
        return stage;
    }

    /** The panes on screen, in order. */
    public List<LogPaneView> views() {
        return List.copyOf(views);
    }

    public void close() {
        stage.close();
        vm.close();
    }
}
