package dev.agentdeck.ui.main;

import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.badges.BadgeView;
import dev.agentdeck.ui.util.Messages;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;

/** The main window's controller: binds the FXML to {@link MainViewModel}; holds no state of its own. */
public final class MainView {
    private final MainViewModel vm;
    private final Messages msg;

    @FXML
    private Button startAllButton;
    @FXML
    private Button stopAllButton;
    @FXML
    private ProgressBar bulkProgress;
    @FXML
    private Label workspaceLabel;
    @FXML
    private Label configProblems;
    @FXML
    private TableView<AgentRowViewModel> table;
    @FXML
    private TableColumn<AgentRowViewModel, String> nameColumn;
    @FXML
    private TableColumn<AgentRowViewModel, String> stateColumn;
    @FXML
    private TableColumn<AgentRowViewModel, Long> pidColumn;
    @FXML
    private ScrollPane badgeScroll;
    @FXML
    private FlowPane badgeBar;
    @FXML
    private Label statusLabel;

    public MainView(MainViewModel vm, Messages msg) {
        this.vm = vm;
        this.msg = msg;
    }

    @FXML
    private void initialize() {
        startAllButton.disableProperty().bind(vm.bulkRunningProperty());
        stopAllButton.disableProperty().bind(vm.bulkRunningProperty());
        bulkProgress.visibleProperty().bind(vm.bulkRunningProperty());
        bulkProgress.managedProperty().bind(vm.bulkRunningProperty());
        bulkProgress.progressProperty().bind(vm.bulkProgressProperty());
        workspaceLabel.textProperty().bind(vm.workspaceTextProperty());
        configProblems.textProperty().bind(vm.configProblemsProperty());
        configProblems.visibleProperty().bind(vm.configProblemsProperty().isNotEmpty());
        configProblems.managedProperty().bind(configProblems.visibleProperty());
        statusLabel.textProperty().bind(vm.statusTextProperty());

        // the badge bar is as tall as its badges, up to about four rows, then scrolls
        badgeScroll.prefViewportHeightProperty().bind(javafx.beans.binding.Bindings.min(badgeBar.heightProperty(), 132));
        table.setItems(vm.rows());
        nameColumn.setCellValueFactory(c -> c.getValue().nameProperty());
        stateColumn.setCellValueFactory(c -> c.getValue().stateTextProperty());
        pidColumn.setCellValueFactory(c -> c.getValue().pidProperty());

        vm.rows().forEach(r -> badgeBar.getChildren().add(new BadgeView(r, msg)));
        vm.rows().addListener((ListChangeListener<AgentRowViewModel>) change -> {
            while (change.next()) {
                if (change.wasRemoved()) {
                    badgeBar.getChildren().removeIf(n -> n instanceof BadgeView b && change.getRemoved().contains(b.viewModel()));
                }
                if (change.wasAdded()) {
                    int at = change.getFrom();
                    for (AgentRowViewModel r : change.getAddedSubList()) {
                        badgeBar.getChildren().add(Math.min(at++, badgeBar.getChildren().size()), new BadgeView(r, msg));
                    }
                }
            }
        });
    }

    @FXML
    private void startAll() {
        vm.startAll();
    }

    @FXML
    private void stopAll() {
        vm.stopAll();
    }
}
