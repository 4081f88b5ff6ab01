package dev.agentdeck.ui.main;

import dev.agentdeck.ui.AgentWindows;
import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.core.Instances;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.badges.BadgeView;
import dev.agentdeck.ui.detail.DetailView;
import dev.agentdeck.ui.table.AgentTable;
import dev.agentdeck.ui.theme.Themes;
import dev.agentdeck.ui.util.Messages;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.util.Duration;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The main window's controller: binds the FXML to {@link MainViewModel}, builds the table, the badges and the
 * menus, and maps keys to commands. Holds no state of its own beyond the views it made.
 */
public final class MainView {
    private static final KeyCombination RESTART = new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination LOGS = new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination FIND = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);

    private final MainViewModel vm;
    private final Messages msg;
    private final AgentWindows windows;
    private final Timeline clock = new Timeline(new KeyFrame(Duration.seconds(1), e -> tick()));
    private AgentTable agentTable;
    private final AgentMenus menus;

    @FXML
    private BorderPane root;
    @FXML
    private Button startAllButton;
    @FXML
    private Button stopAllButton;
    @FXML
    private ProgressBar bulkProgress;
    @FXML
    private TextField filterField;
    @FXML
    private Label workspaceLabel;
    @FXML
    private ToggleGroup themeGroup;
    @FXML
    private RadioMenuItem themeSystem;
    @FXML
    private RadioMenuItem themeLight;
    @FXML
    private RadioMenuItem themeDark;
    @FXML
    private CheckMenuItem notificationsItem;
    @FXML
    private Label configProblems;
    @FXML
    private Label historyProblem;
    @FXML
    private javafx.scene.control.MenuButton settingsMenu;
    @FXML
    private HBox connectionBanner;
    @FXML
    private Label connectionText;
    @FXML
    private Button reconnectButton;
    private static final javafx.css.PseudoClass DISCONNECTED = javafx.css.PseudoClass.getPseudoClass("disconnected");
    private Runnable stopCountdown = () -> {
    };
    @FXML
    private javafx.scene.control.MenuButton groupsMenu;
    @FXML
    private SplitPane split;
    @FXML
    private TableView<AgentRowViewModel> table;
    @FXML
    private DetailView detailController;
    @FXML
    private ScrollPane badgeScroll;
    @FXML
    private FlowPane badgeBar;
    @FXML
    private Label statusLabel;
    @FXML
    private Label hostLabel;

    public MainView(MainViewModel vm, Messages msg, AgentWindows windows) {
        this.vm = vm;
        this.msg = msg;
        this.windows = windows;
        this.menus = new AgentMenus(vm, msg, windows, this::confirmRemove);
    }

    @FXML
    private void initialize() {
        bindToolbar();
        bindBanners();
        bindConnection();
        buildTable();
        buildBadges();
        statusLabel.textProperty().bind(vm.statusTextProperty());
        hostLabel.textProperty().bind(vm.hostTextProperty());
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (FIND.match(e)) {
                filterField.requestFocus();
                filterField.selectAll();
                e.consume();
            }
        });
        clock.setCycleCount(Animation.INDEFINITE);
        clock.play();
    }

    private void bindToolbar() {
        startAllButton.disableProperty().bind(vm.bulkRunningProperty());
        stopAllButton.disableProperty().bind(vm.bulkRunningProperty());
        bulkProgress.visibleProperty().bind(vm.bulkRunningProperty());
        bulkProgress.managedProperty().bind(vm.bulkRunningProperty());
        bulkProgress.progressProperty().bind(vm.bulkProgressProperty());
        filterField.textProperty().bindBidirectional(vm.filterTextProperty());
        workspaceLabel.textProperty().bind(vm.workspaceTextProperty());
        Tooltip where = new Tooltip();
        where.textProperty().bind(vm.workspaceTextProperty());
        workspaceLabel.setTooltip(where);
        themeSystem.setUserData(Themes.SYSTEM);
        themeLight.setUserData(Themes.LIGHT);
        themeDark.setUserData(Themes.DARK);
        selectTheme(vm.themeProperty().get());
        vm.themeProperty().addListener((o, a, t) -> selectTheme(t));
        themeGroup.selectedToggleProperty().addListener((o, a, t) -> {
            if (t != null) {
                vm.themeProperty().set((String) t.getUserData());
            }
        });
        notificationsItem.selectedProperty().bindBidirectional(vm.notificationsOnProperty());
        menus.groupsMenu(groupsMenu);
    }

    private void selectTheme(String theme) {
        themeGroup.getToggles().stream().filter(t -> theme.equals(t.getUserData())).findFirst()
                .ifPresent(themeGroup::selectToggle);
    }

    private void bindConnection() {
        javafx.animation.Timeline countdown = new javafx.animation.Timeline(new javafx.animation.KeyFrame(
                javafx.util.Duration.seconds(1), e -> connectionText.setText(vm.connectionBanner(java.time.Instant.now()))));
        countdown.setCycleCount(javafx.animation.Animation.INDEFINITE);
        javafx.beans.value.ChangeListener<dev.agentdeck.process.Connection> show = (o, a, c) -> {
            boolean lost = c != null && !c.connected();
            connectionText.setText(vm.connectionBanner(java.time.Instant.now()));
            connectionBanner.setVisible(lost);
            connectionBanner.setManaged(lost);
            reconnectButton.setVisible(c != null && c.state() == dev.agentdeck.process.Connection.State.DISCONNECTED);
            root.pseudoClassStateChanged(DISCONNECTED, lost);
            if (lost) {
                countdown.play();
            } else {
                countdown.stop();
            }
        };
        vm.connectionProperty().addListener(show);
        show.changed(null, null, vm.connectionProperty().get());
        stopCountdown = countdown::stop;
    }

    /** Adds items at the end of the View menu (the window's own settings, such as what closing does). */
    public void addViewItems(javafx.scene.control.MenuItem... items) {
        settingsMenu.getItems().add(new SeparatorMenuItem());
        settingsMenu.getItems().addAll(items);
    }

    @FXML
    private void reconnect() {
        vm.reconnect();
    }

    private void bindBanners() {
        configProblems.textProperty().bind(vm.configProblemsProperty());
        configProblems.visibleProperty().bind(vm.configProblemsProperty().isNotEmpty());
        configProblems.managedProperty().bind(configProblems.visibleProperty());
        historyProblem.textProperty().bind(vm.historyProblemProperty());
        historyProblem.visibleProperty().bind(vm.historyProblemProperty().isNotEmpty());
        historyProblem.managedProperty().bind(historyProblem.visibleProperty());
    }

    private void buildTable() {
        agentTable = new AgentTable(table, msg);
        agentTable.build();
        SortedList<AgentRowViewModel> sorted = new SortedList<>(vm.filteredRows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            // a live re-sort briefly clears the focus; only a real change of selection moves the detail
            if (row != null || table.getSelectionModel().isEmpty()) {
                vm.selectedProperty().set(row);
            }
        });
        table.setContextMenu(menus.rowMenu(this::selection));
        if (!sorted.isEmpty()) {
            table.getSelectionModel().select(0);
        }
        table.addEventHandler(KeyEvent.KEY_PRESSED, this::tableKey);
        table.setRowFactory(t -> {
            TableRow<AgentRowViewModel> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    detailController.showLogsTab();
                }
            });
            return row;
        });
    }

    private void tableKey(KeyEvent e) {
        List<AgentRowViewModel> targets = selection();
        if (targets.isEmpty()) {
            return;
        }
        if (e.getCode() == KeyCode.SPACE && !e.isShortcutDown()) {
            vm.each(targets, AgentRowViewModel::toggle);
        } else if (RESTART.match(e)) {
            vm.each(targets, AgentRowViewModel::restart);
        } else if (LOGS.match(e)) {
            windows.openLogs(ids(targets));
        } else if (e.getCode() == KeyCode.DELETE) {
            confirmRemove(targets);
        } else {
            return;
        }
        e.consume();
    }

    private void buildBadges() {
        // the badge bar is as tall as its badges, up to about four rows, then scrolls
        badgeScroll.prefViewportHeightProperty().bind(Bindings.min(badgeBar.heightProperty(), 132));
        vm.rows().forEach(r -> badgeBar.getChildren().add(badge(r)));
        vm.rows().addListener((ListChangeListener<AgentRowViewModel>) change -> {
            while (change.next()) {
                if (change.wasRemoved()) {
                    badgeBar.getChildren().removeIf(n -> n instanceof BadgeView b && change.getRemoved().contains(b.viewModel()));
                }
                if (change.wasAdded()) {
                    int at = change.getFrom();
                    for (AgentRowViewModel r : change.getAddedSubList()) {
                        badgeBar.getChildren().add(Math.min(at++, badgeBar.getChildren().size()), badge(r));
                    }
                }
            }
        });
    }

    private BadgeView badge(AgentRowViewModel row) {
        BadgeView b = new BadgeView(row);
        b.setContextMenu(menus.rowMenu(() -> List.of(row)));
        return b;
    }

    private void confirmRemove(List<AgentRowViewModel> targets) {
        if (targets.isEmpty()) {
            return;
        }
        String names = targets.stream().map(r -> r.nameProperty().get()).collect(Collectors.joining(", "));
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, msg.get("confirm.remove", targets.size(), names),
                ButtonType.OK, ButtonType.CANCEL);
        alert.setTitle(msg.get("confirm.removeTitle", targets.size()));
        alert.setHeaderText(null);
        alert.initOwner(root.getScene().getWindow());
        alert.showAndWait().filter(b -> b == ButtonType.OK)
                .ifPresent(b -> targets.forEach(r -> vm.remove(r.id())));
    }

    private List<AgentRowViewModel> selection() {
        return List.copyOf(table.getSelectionModel().getSelectedItems());
    }

    private static List<String> ids(List<AgentRowViewModel> rows) {
        return rows.stream().map(AgentRowViewModel::id).toList();
    }

    private void tick() {
        vm.tick(Instant.now());
    }

    @FXML
    private void startAll() {
        vm.startAll();
    }

    @FXML
    private void stopAll() {
        vm.stopAll();
    }

    @FXML
    private void refresh() {
        vm.refresh();
    }

    @FXML
    private void addAgent() {
        windows.openEditor(EditorMode.ADD, null);
    }

    @FXML
    private void about() {
        dev.agentdeck.core.Containment c = vm.containment();
        String why = msg.get(switch (c.mode()) {
            case CGROUP -> "about.cgroup";
            case TRACKED -> "about.tracked";
            case GROUPS -> "about.groups";
        });
        Alert alert = new Alert(Alert.AlertType.INFORMATION, msg.get("about.text", c.describe(), why), ButtonType.OK);
        alert.setTitle(msg.get("about.title"));
        alert.setHeaderText(msg.get("about.header", dev.agentdeck.Main.version()));
        alert.initOwner(root.getScene().getWindow());
        alert.getDialogPane().setMinWidth(520);
        alert.show();
    }

    @FXML
    private void newFromTemplate() {
        windows.openNewFromTemplate();
    }

    @FXML
    private void importAgents() {
        windows.openImport(added -> added.stream().findFirst().ifPresent(a ->
                reveal(a.instanced() ? Instances.ids(a.id(), 1).get(0) : a.id())));
    }

    @FXML
    private void exportAgents() {
        windows.openExport(ids(selection()));
    }

    /** Selects an agent and scrolls to it, now or as soon as its row arrives from the engine. */
    void reveal(String id) {
        if (!select(id)) {
            ListChangeListener<AgentRowViewModel> wait = new ListChangeListener<>() {
                @Override
                public void onChanged(Change<? extends AgentRowViewModel> c) {
                    if (select(id)) {
                        vm.rows().removeListener(this);
                    }
                }
            };
            vm.rows().addListener(wait);
        }
    }

    private boolean select(String id) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).id().equals(id)) {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(i);
                return true;
            }
        }
        return false;
    }

    @FXML
    private void openLogs() {
        List<AgentRowViewModel> targets = selection();
        windows.openLogs(ids(targets.isEmpty() ? vm.filteredRows() : targets));
    }

    // ---- for the window's composition and remembered layout

    public AgentTable agentTable() {
        return agentTable;
    }

    public SplitPane split() {
        return split;
    }

    public DetailView detail() {
        return detailController;
    }

    /** Stops the clock and releases the detail's log pane. */
    public void close() {
        clock.stop();
        stopCountdown.run();
        detailController.close();
    }
}
