package dev.agentdeck.ui;

import dev.agentdeck.app.AppLogging;
import dev.agentdeck.app.CommandLine;
import dev.agentdeck.app.OpenedWorkspace;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.ui.theme.Themes;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import dev.agentdeck.ui.util.PanelSettingsStore;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.util.Locale;

/**
 * The desktop application: opens the workspace's engine before the first frame (off the FX thread, in
 * {@link #init()}), shows the main window, and closes the engine on exit. Agents keep running after the
 * window closes unless the settings say to stop them.
 */
public final class AgentDeckApp extends Application {
    private OpenedWorkspace opened;
    private LocalEngine engine;
    private MainWindow window;
    private PanelSettingsStore settingsStore;
    private PanelSettings settings;
    private boolean systemDark;

    /** Starts the JavaFX application with the raw command-line arguments. */
    public static void launchPanel(String[] args) {
        Application.launch(AgentDeckApp.class, args);
    }

    @Override
    public void init() throws Exception {
        CommandLine cl = CommandLine.parse(getParameters().getRaw().toArray(String[]::new));
        opened = OpenedWorkspace.choose(cl.home(), System.getenv());
        AppLogging.toFile(opened.workspace().dataDir(), false);
        engine = LocalEngine.open(opened.workspace());
        engine.startAutostart();
        settingsStore = new PanelSettingsStore(opened.workspace().configDir().resolve("panel.json"));
        settings = settingsStore.load();
        systemDark = Themes.SYSTEM.equals(settings.theme()) && Themes.systemPrefersDark();
    }

    @Override
    public void start(Stage stage) {
        Messages msg = Messages.load(Locale.getDefault());
        String where = opened.demo() ? msg.get("workspace.demo", opened.workspace().configDir())
                : msg.get("workspace.home", opened.workspace().configDir());
        window = new MainWindow(engine, Platform::runLater, where, settings, systemDark);
        window.show(stage, msg.get("app.titleWithWorkspace", opened.demo() ? "demo" : opened.workspace().configDir().getFileName()));
    }

    @Override
    public void stop() {
        if (window != null) {
            PanelSettings layout = window.capture();
            window.close();
            settingsStore.save(layout);
        }
        if (engine != null) {
            // The window is gone; closing may stop agents (stopAllOnExit), which must not hang the exit forever.
            Thread closer = new Thread(engine::close, "agentdeck-shutdown");
            closer.start();
            try {
                closer.join(70_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
