package dev.agentdeck.ui;

import dev.agentdeck.api.ApiServer;
import dev.agentdeck.app.AppLogging;
import dev.agentdeck.app.HomeLock;
import dev.agentdeck.app.PanelLaunch;
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

import java.io.IOException;
import java.util.Locale;

/**
 * The desktop application: opens the workspace's engine before the first frame (off the FX thread, in
 * {@link #init()}), shows the main window, and closes the engine on exit. Agents keep running after the
 * window closes unless the settings say to stop them.
 */
public final class AgentDeckApp extends Application {
    private static volatile PanelLaunch.Claim pendingClaim;
    private OpenedWorkspace opened;
    private HomeLock lock;
    private LocalEngine engine;
    private ApiServer api;
    private Stage stage;
    private MainWindow window;
    private PanelSettingsStore settingsStore;
    private PanelSettings settings;
    private boolean systemDark;

    /**
     * Takes the home's lock (or brings the panel that has it to the front and ends), then starts the JavaFX
     * application with the raw command-line arguments.
     */
    public static void launchPanel(CommandLine cl, String[] args) {
        int[] exit = {1};
        try {
            var claim = PanelLaunch.claim(cl, System.err, exit);
            if (claim.isEmpty()) {
                System.exit(exit[0]);
            }
            pendingClaim = claim.get();
        } catch (IOException e) {
            System.err.println("agentdeck: cannot open the workspace: " + e.getMessage());
            System.exit(1);
        }
        Application.launch(AgentDeckApp.class, args);
    }

    @Override
    public void init() throws Exception {
        CommandLine cl = CommandLine.parse(getParameters().getRaw().toArray(String[]::new));
        PanelLaunch.Claim claim = pendingClaim;
        pendingClaim = null;
        if (claim == null) {
            int[] exit = {1};
            claim = PanelLaunch.claim(cl, System.err, exit).orElseThrow(() ->
                    new IllegalStateException("another AgentDeck owns this home"));
        }
        opened = claim.opened();
        lock = claim.lock();
        AppLogging.toFile(opened.workspace().dataDir(), false);
        engine = LocalEngine.open(opened.workspace());
        if (cl.api().enabled()) {
            try {
                api = ApiServer.start(engine, opened.workspace(), cl.api(), "panel", this::toFront);
                ApiServer started = api;
                // SIGTERM ends the JVM without Application.stop(): still take api.json away
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "agentdeck-api-shutdown"));
            } catch (IOException | IllegalArgumentException e) {
                // The panel works without its API; say why it is off.
                System.err.println("agentdeck: the API is off: " + e.getMessage());
            }
        }
        engine.startAutostart();
        settingsStore = new PanelSettingsStore(opened.workspace().configDir().resolve("panel.json"));
        settings = settingsStore.load();
        systemDark = Themes.SYSTEM.equals(settings.theme()) && Themes.systemPrefersDark();
    }

    private void toFront() {
        Platform.runLater(() -> {
            if (stage != null) {
                stage.setIconified(false);
                stage.show();
                stage.toFront();
                stage.requestFocus();
            }
        });
    }

    @Override
    public void start(Stage stage) {
        this.stage = stage;
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
        if (api != null) {
            api.close();
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
        if (lock != null) {
            lock.close();
        }
    }
}
