package dev.agentdeck.ui;

import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;
import dev.agentdeck.ui.detail.DetailView;
import dev.agentdeck.ui.main.MainView;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import dev.agentdeck.ui.util.UpdateBridge;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One workspace in the window: its ViewModels over its {@link ProcessService}, the bridge that feeds them, its
 * FXML view and the log viewers and editors it opens. Workspaces never share any of these, so agents with the
 * same id in two workspaces never meet.
 */
final class WorkspacePane implements AutoCloseable {
    private final String name;
    private final ProcessService service;
    private final MainViewModel viewModel;
    private final UpdateBridge bridge;
    private final PanelWindows windows;
    private final MainView view;
    private final Parent root;
    private final Subscription hostWatch;

    WorkspacePane(String name, ProcessService service, Executor ui, Messages msg, String description,
                  PanelSettings settings, Supplier<Stage> owner) {
        this.name = name;
        this.service = service;
        this.viewModel = new MainViewModel(service, ui, msg, description);
        viewModel.themeProperty().set(settings.theme());
        viewModel.notificationsOnProperty().set(settings.notifications());
        this.windows = new PanelWindows(service, ui, msg, owner);
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
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the main view could not be loaded", e);
        }
        this.view = loader.getController();
        view.agentTable().restore(settings);
        view.split().setDividerPositions(settings.split());
        this.hostWatch = service.watchMetrics(null);
        this.bridge = new UpdateBridge(service, ui, viewModel::apply, MainWindow.BRIDGE_PERIOD_MS);

    }

    String name() {
        return name;
    }

    ProcessService service() {
        return service;
    }

    MainViewModel viewModel() {
        return viewModel;
    }

    MainView view() {
        return view;
    }

    Parent root() {
        return root;
    }

    PanelWindows windows() {
        return windows;
    }

    @Override
    public void close() {
        bridge.close();
        hostWatch.close();
        view.close();
        viewModel.detail().close();
        windows.close();
    }
}
