package dev.agentdeck.ui;

import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;
import dev.agentdeck.ui.detail.DetailView;
import dev.agentdeck.ui.main.MainView;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.notify.Notifier;
import dev.agentdeck.ui.theme.Themes;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import dev.agentdeck.ui.util.UpdateBridge;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The panel's composition root: builds the ViewModels over a {@link ProcessService}, the bridge that feeds
 * them, the FXML views and the windows they open, and puts them in a stage with the remembered layout. The
 * app and the UI tests both build the window here.
 */
public final class MainWindow implements AutoCloseable {
    static final long BRIDGE_PERIOD_MS = 100;
    private final Messages msg = Messages.load(Locale.getDefault());
    private final MainViewModel viewModel;
    private final UpdateBridge bridge;
    private final PanelWindows windows;
    private final MainView view;
    private final Scene scene;
    private final PanelSettings settings;
    private final boolean systemDark;
    private final Subscription hostWatch;
    private Stage stage;

    public MainWindow(ProcessService service, Executor ui, String workspaceDescription) {
        this(service, ui, workspaceDescription, PanelSettings.DEFAULT.withTheme(Themes.LIGHT), false);
    }

    /**
     * @param settings   the layout to restore (from panel.json)
     * @param systemDark whether the desktop prefers dark, for the "system" theme (read off the FX thread)
     */
    public MainWindow(ProcessService service, Executor ui, String workspaceDescription, PanelSettings settings,
                      boolean systemDark) {
        this.settings = settings;
        this.systemDark = systemDark;
        this.viewModel = new MainViewModel(service, ui, msg, workspaceDescription);
        viewModel.themeProperty().set(settings.theme());
        viewModel.notificationsOnProperty().set(settings.notifications());
        this.windows = new PanelWindows(service, ui, msg, () -> stage);
        FXMLLoader loader = new FXMLLoader(MainView.class.getResource("MainView.fxml"), msg.bundle());
        loader.setControllerFactory(type -> {
            if (type == MainView.class) {
                return new MainView(viewModel, msg, windows);
            }
            if (type == DetailView.class) {
                return new DetailView(viewModel.detail(), msg, windows::embeddedLogs);
            }
            throw new IllegalArgumentException("no controller for " + type);
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the main view could not be loaded", e);
        }
        this.view = loader.getController();
        this.scene = new Scene(root, settings.width(), settings.height());
        scene.getStylesheets().add(MainWindow.class.getResource("app.css").toExternalForm());
        applyTheme(settings.theme());
        viewModel.themeProperty().addListener((o, a, t) -> applyTheme(t));
        view.agentTable().restore(settings);
        view.split().setDividerPositions(settings.split());
        this.hostWatch = service.watchMetrics(null);
        this.bridge = new UpdateBridge(service, ui, viewModel::apply, BRIDGE_PERIOD_MS);
    }

    private void applyTheme(String theme) {
        boolean dark = Themes.apply(theme, systemDark);
        scene.getRoot().pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("dark"), dark);
    }

    /** Shows the window in {@code stage}, where and as large as it was left when that is still on a screen. */
    public void show(Stage stage, String title) {
        this.stage = stage;
        stage.setTitle(title);
        stage.setScene(scene);
        if (!Double.isNaN(settings.x()) && !Screen.getScreensForRectangle(
                new Rectangle2D(settings.x(), settings.y(), Math.max(1, settings.width()), Math.max(1, settings.height()))).isEmpty()) {
            stage.setX(settings.x());
            stage.setY(settings.y());
        }
        stage.setMaximized(settings.maximized());
        Notifier notifier = new Notifier(stage);
        viewModel.onNotice(notifier::show);
        stage.show();
    }

    /** The layout as it is now, to be saved in panel.json. */
    public PanelSettings capture() {
        boolean max = stage != null && stage.isMaximized();
        double x = stage == null ? settings.x() : stage.getX();
        double y = stage == null ? settings.y() : stage.getY();
        double w = stage == null || max ? settings.width() : stage.getWidth();
        double h = stage == null || max ? settings.height() : stage.getHeight();
        double[] dividers = view.split().getDividerPositions();
        return new PanelSettings(x, y, w, h, max, dividers.length > 0 ? dividers[0] : settings.split(),
                viewModel.themeProperty().get(), view.agentTable().layout(), view.agentTable().sortColumn(),
                view.agentTable().sortAscending(), viewModel.notificationsOnProperty().get());
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    /** Selects an agent in the table and shows its log pane in the detail area. */
    public void showLogs(String agentId) {
        view.agentTable().table().getItems().stream().filter(r -> r.id().equals(agentId)).findFirst()
                .ifPresent(r -> view.agentTable().table().getSelectionModel().clearAndSelect(
                        view.agentTable().table().getItems().indexOf(r)));
        view.detail().showLogsTab();
    }

    /** Opens the log viewer window on these agents. */
    public void openLogs(java.util.List<String> agentIds) {
        windows.openLogs(agentIds);
    }

    /** The log viewers and editors this window opened (for tests in this package). */
    PanelWindows windows() {
        return windows;
    }

    public Scene scene() {
        return scene;
    }

    /** Stops the updates and closes the windows this one opened; agents keep running. */
    @Override
    public void close() {
        bridge.close();
        hostWatch.close();
        view.close();
        viewModel.detail().close();
        windows.close();
    }
}
