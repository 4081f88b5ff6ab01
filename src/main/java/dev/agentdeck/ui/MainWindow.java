package dev.agentdeck.ui;

import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.notify.Notifier;
import dev.agentdeck.ui.theme.Themes;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import dev.agentdeck.ui.workspaces.WorkspaceItem;
import dev.agentdeck.ui.workspaces.WorkspaceSidebar;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The panel's composition root: one {@link WorkspacePane} per workspace (its ViewModels over its
 * {@link ProcessService}, in-process or attached), the sidebar that lists them and switches between them, and
 * the stage with the remembered layout. The app and the UI tests both build the window here.
 */
public final class MainWindow implements AutoCloseable {
    static final long BRIDGE_PERIOD_MS = 100;
    private final Messages msg = Messages.load(Locale.getDefault());
    private final Executor ui;
    private final List<WorkspacePane> panes = new ArrayList<>();
    private final WorkspaceSidebar sidebar;
    private final BorderPane root = new BorderPane();
    private final Scene scene;
    private final PanelSettings settings;
    private final boolean systemDark;
    private final javafx.animation.Timeline sidebarTick;
    private WorkspacePane current;
    private Stage stage;
    private Notifier notifier;

    /** A workspace to show: its name, a description for the status line, and its engine. */
    public record WorkspaceRef(String name, String where, String description, ProcessService service) {
    }

    public MainWindow(ProcessService service, Executor ui, String workspaceDescription) {
        this(service, ui, workspaceDescription, PanelSettings.DEFAULT.withTheme(Themes.LIGHT), false);
    }

    public MainWindow(ProcessService service, Executor ui, String workspaceDescription, PanelSettings settings,
                      boolean systemDark) {
        this(List.of(new WorkspaceRef("workspace", workspaceDescription, workspaceDescription, service)), ui, settings,
                systemDark, WorkspaceSidebar.Actions.NONE);
    }

    /**
     * @param workspaces the first is the one the panel was opened on
     * @param settings   the layout to restore (from panel.json)
     * @param systemDark whether the desktop prefers dark, for the "system" theme (read off the FX thread)
     * @param actions    what adding and removing a workspace does (the app opens and closes engines)
     */
    public MainWindow(List<WorkspaceRef> workspaces, Executor ui, PanelSettings settings, boolean systemDark,
                      WorkspaceSidebar.Actions actions) {
        this.ui = ui;
        this.settings = settings;
        this.systemDark = systemDark;
        this.sidebar = new WorkspaceSidebar(msg, actions, this::select);
        root.setLeft(sidebar.node());
        root.getStyleClass().add("panel-root");
        this.scene = new Scene(root, settings.width(), settings.height());
        scene.getStylesheets().add(MainWindow.class.getResource("app.css").toExternalForm());
        workspaces.forEach(this::add);
        sidebar.select(0);
        applyTheme(settings.theme());
        this.sidebarTick = new javafx.animation.Timeline(new KeyFrame(javafx.util.Duration.seconds(1), e -> sidebar.refresh()));
        sidebarTick.setCycleCount(Animation.INDEFINITE);
        sidebarTick.play();
    }

    private javafx.beans.property.StringProperty closeAction;

    /**
     * Offers the choice of what closing the window does (ask, handover, leave, stop) in every workspace's View
     * menu, bound to {@code choice}.
     */
    public void offerCloseChoice(javafx.beans.property.StringProperty choice) {
        this.closeAction = choice;
        panes.forEach(this::addCloseMenu);
    }

    private void addCloseMenu(WorkspacePane pane) {
        javafx.scene.control.Menu menu = new javafx.scene.control.Menu(msg.get("close.menu"));
        javafx.scene.control.ToggleGroup group = new javafx.scene.control.ToggleGroup();
        for (String[] option : new String[][]{{"ask", "close.ask"}, {"handover", "close.handover"},
                {"leave", "close.leave"}, {"stop", "close.stop"}}) {
            javafx.scene.control.RadioMenuItem item = new javafx.scene.control.RadioMenuItem(msg.get(option[1]));
            item.setToggleGroup(group);
            item.setSelected(option[0].equals(closeAction.get()));
            item.setOnAction(e -> closeAction.set(option[0]));
            closeAction.addListener((o, a, v) -> item.setSelected(option[0].equals(v)));
            menu.getItems().add(item);
        }
        pane.view().addViewItems(menu);
    }

    /** Adds a workspace to the window and the sidebar; it is not selected. */
    public void add(WorkspaceRef ref) {
        WorkspacePane pane = new WorkspacePane(ref.name(), ref.service(), ui, msg, ref.description(), settings, () -> stage);
        pane.viewModel().themeProperty().addListener((o, a, t) -> {
            applyTheme(t);
            panes.forEach(p -> p.viewModel().themeProperty().set(t));
        });
        if (notifier != null) {
            connectNotices(pane);
        }
        panes.add(pane);
        if (closeAction != null) {
            addCloseMenu(pane);
        }
        sidebar.add(new WorkspaceItem(ref.name(), ref.where(), panes.size() > 1, ref.service(), msg));
        sidebar.showList(panes.size() > 1);
    }

    /** Removes a workspace from the window (closing its views); its engine is the caller's to close. */
    public void remove(ProcessService service) {
        for (int i = 1; i < panes.size(); i++) {
            WorkspacePane p = panes.get(i);
            if (p.service() == service) {
                if (p == current) {
                    sidebar.select(0);
                }
                panes.remove(i);
                sidebar.remove(i);
                p.close();
                sidebar.showList(panes.size() > 1);
                return;
            }
        }
    }

    private void select(int index) {
        if (index < 0 || index >= panes.size()) {
            return;
        }
        current = panes.get(index);
        root.setCenter(current.root());
        if (stage != null) {
            stage.setTitle(title());
        }
    }

    private void connectNotices(WorkspacePane pane) {
        // with several workspaces, a notice says which one it is about: the same id may be in both
        pane.viewModel().onNotice(n -> notifier.show(panes.size() > 1 ? n.in(pane.name()) : n));
    }

    private String baseTitle;

    private String title() {
        return panes.size() > 1 && current != null ? baseTitle + " — " + current.name() : baseTitle;
    }

    private void applyTheme(String theme) {
        boolean dark = Themes.apply(theme, systemDark);
        scene.getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), dark);
    }

    /** Shows the window in {@code stage}, where and as large as it was left when that is still on a screen. */
    public void show(Stage stage, String title) {
        this.stage = stage;
        this.baseTitle = title;
        stage.setTitle(title());
        dev.agentdeck.ui.util.AppIcon.apply(stage);
        stage.setScene(scene);
        if (!Double.isNaN(settings.x()) && !Screen.getScreensForRectangle(
                new Rectangle2D(settings.x(), settings.y(), Math.max(1, settings.width()), Math.max(1, settings.height()))).isEmpty()) {
            stage.setX(settings.x());
            stage.setY(settings.y());
        }
        stage.setMaximized(settings.maximized());
        notifier = new Notifier(stage);
        panes.forEach(this::connectNotices);
        stage.show();
    }

    /** The layout as it is now, to be saved in panel.json. */
    public PanelSettings capture() {
        boolean max = stage != null && stage.isMaximized();
        double x = stage == null ? settings.x() : stage.getX();
        double y = stage == null ? settings.y() : stage.getY();
        double w = stage == null || max ? settings.width() : stage.getWidth();
        double h = stage == null || max ? settings.height() : stage.getHeight();
        WorkspacePane p = panes.get(0);
        double[] dividers = p.view().split().getDividerPositions();
        return new PanelSettings(x, y, w, h, max, dividers.length > 0 ? dividers[0] : settings.split(),
                p.viewModel().themeProperty().get(), p.view().agentTable().layout(), p.view().agentTable().sortColumn(),
                p.view().agentTable().sortAscending(), p.viewModel().notificationsOnProperty().get());
    }

    /** The ViewModel of the workspace shown now. */
    public MainViewModel viewModel() {
        return current.viewModel();
    }

    /** The sidebar's workspaces, in order (for tests and the app). */
    public List<WorkspaceItem> workspaces() {
        return sidebar.items();
    }

    /** Shows the workspace at {@code index} of the sidebar. */
    public void showWorkspace(int index) {
        sidebar.select(index);
    }

    /** Selects an agent in the table and shows its log pane in the detail area. */
    public void showLogs(String agentId) {
        var table = current.view().agentTable().table();
        table.getItems().stream().filter(r -> r.id().equals(agentId)).findFirst()
                .ifPresent(r -> table.getSelectionModel().clearAndSelect(table.getItems().indexOf(r)));
        current.view().detail().showLogsTab();
    }

    /** Opens the log viewer window on these agents. */
    public void openLogs(List<String> agentIds) {
        current.windows().openLogs(agentIds);
    }

    /** The log viewers and editors this window opened (for tests in this package). */
    PanelWindows windows() {
        return current.windows();
    }

    public Scene scene() {
        return scene;
    }

    /** Stops the updates and closes the windows this one opened; agents keep running. */
    @Override
    public void close() {
        sidebarTick.stop();
        panes.forEach(WorkspacePane::close);
    }
}
