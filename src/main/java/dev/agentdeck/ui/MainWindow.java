package dev.agentdeck.ui;

import atlantafx.base.theme.PrimerLight;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.main.MainView;
import dev.agentdeck.ui.main.MainViewModel;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.UpdateBridge;
import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Executor;

/**
 * The panel's composition root: builds the ViewModels over a {@link ProcessService}, the bridge that feeds
 * them, and the FXML views, and puts them in a stage. The app and the UI tests both build the window here.
 */
public final class MainWindow implements AutoCloseable {
    static final long BRIDGE_PERIOD_MS = 100;
    private final MainViewModel viewModel;
    private final UpdateBridge bridge;
    private final Scene scene;

    public MainWindow(ProcessService service, Executor ui, String workspaceDescription) {
        Messages msg = Messages.load(Locale.getDefault());
        this.viewModel = new MainViewModel(service, ui, msg, workspaceDescription);
        this.bridge = new UpdateBridge(service, ui, viewModel::apply, BRIDGE_PERIOD_MS);
        FXMLLoader loader = new FXMLLoader(MainView.class.getResource("MainView.fxml"), msg.bundle());
        loader.setControllerFactory(type -> {
            if (type == MainView.class) {
                return new MainView(viewModel, msg);
            }
            throw new IllegalArgumentException("no controller for " + type);
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the main view could not be loaded", e);
        }
        this.scene = new Scene(root, 960, 600);
        scene.getStylesheets().add(MainWindow.class.getResource("app.css").toExternalForm());
    }

    /** Applies the theme (once per application) and shows the window in {@code stage}. */
    public void show(Stage stage, String title) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        stage.setTitle(title);
        stage.setScene(scene);
        stage.show();
    }

    public MainViewModel viewModel() {
        return viewModel;
    }

    public Scene scene() {
        return scene;
    }

    @Override
    public void close() {
        bridge.close();
    }
}
