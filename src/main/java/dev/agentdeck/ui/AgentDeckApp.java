package dev.agentdeck.ui;

import dev.agentdeck.app.AppLogging;
import dev.agentdeck.app.CommandLine;
import dev.agentdeck.app.EngineSession;
import dev.agentdeck.app.Headless;
import dev.agentdeck.app.PanelOptions;
import dev.agentdeck.app.OpenedWorkspace;
import dev.agentdeck.app.PanelLaunch;
import dev.agentdeck.app.WorkspaceBook;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.ui.theme.Themes;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.PanelSettings;
import dev.agentdeck.ui.util.PanelSettingsStore;
import dev.agentdeck.ui.workspaces.WorkspaceItem;
import dev.agentdeck.ui.workspaces.WorkspaceSidebar;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The desktop application: opens the workspaces' engines before the first frame (off the FX thread, in
 * {@link #init()}): its own home's engine when nobody runs it, else attached to the {@code serve} that does, plus
 * the other workspaces it remembers. Closing the window does what the user chose once with the engines it owns:
 * hand them to a background {@code serve}, leave the agents running, or stop them.
 */
public final class AgentDeckApp extends Application {
    private static volatile PanelLaunch.Claim pendingClaim;
    private static volatile CompletableFuture<EngineSession> pendingFirst;
    private static volatile CompletableFuture<Boolean> pendingDark;
    /** The running app, for focus requests that reach the engine's API before or after the window is up. */
    private static volatile AgentDeckApp instance;
    private static volatile int exitCode;
    private PanelOptions options = PanelOptions.NONE;
    private final List<EngineSession> sessions = new ArrayList<>();
    private final Messages msg = Messages.load(Locale.getDefault());
    private OpenedWorkspace opened;
    private Stage stage;
    private MainWindow window;
    private PanelSettingsStore settingsStore;
    private PanelSettings settings;
    private Path bookFile;
    private volatile WorkspaceBook book;
    private boolean systemDark;

    /**
     * Takes the home's lock (or brings the panel that has it to the front and ends), then starts the JavaFX
     * application with the raw command-line arguments.
     */
    public static void launchPanel(CommandLine cl, PanelOptions options, String[] args) {
        if (options.headless()) {
            try {
                Headless.configure();
            } catch (IllegalStateException e) {
                System.err.println("agentdeck: " + e.getMessage());
                System.exit(2);
            }
        }
        if (cl.attach() == null) {
            int[] exit = {1};
            try {
                var claim = PanelLaunch.claim(cl, System.err, exit);
                if (claim.isEmpty()) {
                    System.exit(exit[0]);
                }
                pendingClaim = claim.get();
                // the engine opens while the JavaFX toolkit starts (start-up); init() waits for it
                PanelLaunch.Claim c = claim.get();
                pendingFirst = CompletableFuture.supplyAsync(() -> openFirst(c, cl.api()));
                pendingDark = CompletableFuture.supplyAsync(Themes::systemPrefersDark);
            } catch (IOException e) {
                System.err.println("agentdeck: cannot open the workspace: " + e.getMessage());
                System.exit(1);
            }
        }
        try {
            Application.launch(AgentDeckApp.class, args);
        } catch (RuntimeException e) {
            // no toolkit (no display, say): the engine opened meanwhile ends, its agents run on
            CompletableFuture<EngineSession> opening = pendingFirst;
            if (opening != null) {
                opening.thenAccept(s -> s.close(EngineSession.CloseAction.LEAVE_RUNNING)).exceptionally(x -> null).join();
            }
            throw e;
        }
        if (options.ends()) {
            System.exit(exitCode);
        }
    }

    @Override
    public void init() throws Exception {
        instance = this;
        CommandLine cl = CommandLine.parse(getParameters().getRaw().toArray(String[]::new));
        options = cl.command().equals("gui") ? PanelOptions.parse(cl.rest()) : PanelOptions.NONE;
        if (cl.attach() != null) {
            opened = OpenedWorkspace.choose(cl.home(), System.getenv());
            String token = cl.attach().tokenFile() == null ? null : Files.readString(Path.of(cl.attach().tokenFile())).trim();
            sessions.add(EngineSession.attach(cl.attach().url(), token, hostPort(cl.attach().url())));
        } else {
            PanelLaunch.Claim claim = pendingClaim;
            pendingClaim = null;
            if (claim == null) {
                int[] exit = {1};
                claim = PanelLaunch.claim(cl, System.err, exit).orElseThrow(() ->
                        new IllegalStateException("another AgentDeck panel has this home"));
            }
            opened = claim.opened();
            CompletableFuture<EngineSession> opening = pendingFirst;
            pendingFirst = null;
            EngineSession first;
            try {
                first = opening != null ? opening.join() : openFirst(claim, cl.api());
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause()
                        : e.getCause() instanceof Exception x ? x : e;
            }
            if (first.apiProblem() != null) {
                System.err.println("agentdeck: the API is off: " + first.apiProblem());
            }
            sessions.add(first);
        }
        // SIGTERM ends the JVM without Application.stop(): still take the APIs' api.json away
        Runtime.getRuntime().addShutdownHook(new Thread(() -> sessions.forEach(s -> {
            if (s.api() != null) {
                s.api().close();
            }
        }), "agentdeck-api-shutdown"));
        Path config = opened.workspace().configDir();
        bookFile = config.resolve("workspaces.json");
        book = WorkspaceBook.load(bookFile);
        for (WorkspaceBook.Entry e : book.entries()) {
            try {
                sessions.add(open(e));
            } catch (IOException | RuntimeException x) {
                System.err.println("agentdeck: the workspace " + (e.home() != null ? e.home() : e.url())
                        + " cannot be opened: " + x.getMessage());
            }
        }
        settingsStore = new PanelSettingsStore(config.resolve("panel.json"));
        settings = settingsStore.load();
        CompletableFuture<Boolean> dark = pendingDark;
        pendingDark = null;
        systemDark = Themes.SYSTEM.equals(settings.theme()) && (dark != null ? dark.join() : Themes.systemPrefersDark());
    }

    /** The claimed home's session: its own engine, or attached to the serve that holds it. */
    private static EngineSession openFirst(PanelLaunch.Claim claim, dev.agentdeck.api.ApiOptions api) {
        Workspace ws = claim.opened().workspace();
        String name = claim.opened().demo() ? "demo" : String.valueOf(ws.configDir().getFileName());
        try {
            AppLogging.toFile(ws.dataDir(), false);
            return claim.attach() ? EngineSession.attachHome(ws, name)
                    : EngineSession.owned(ws, name, claim.lock(), api, AgentDeckApp::focusRequested);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void focusRequested() {
        AgentDeckApp app = instance;
        if (app != null) {
            app.toFront();
        }
    }

    private static EngineSession open(WorkspaceBook.Entry e) throws IOException {
        if (e.home() != null) {
            Workspace ws = Workspace.home(Path.of(e.home()));
            return EngineSession.open(ws, String.valueOf(ws.configDir().getFileName()), defaultApi(), null);
        }
        String token = e.tokenFile() == null ? null : Files.readString(Path.of(e.tokenFile())).trim();
        return EngineSession.attach(e.url(), token, hostPort(e.url()));
    }

    /** What an engine attached by URL is called in the sidebar: its host and port. */
    private static String hostPort(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }

    private static dev.agentdeck.api.ApiOptions defaultApi() {
        return dev.agentdeck.api.ApiOptions.DEFAULT;
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
        List<MainWindow.WorkspaceRef> refs = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            refs.add(ref(sessions.get(i), i == 0));
        }
        window = new MainWindow(refs, Platform::runLater, settings, systemDark, new SidebarActions());
        javafx.beans.property.StringProperty closeChoice = new javafx.beans.property.SimpleStringProperty(book.closeAction());
        closeChoice.addListener((o, a, v) -> {
            book = new WorkspaceBook(v, book.entries());
            book.save(bookFile);
        });
        window.offerCloseChoice(closeChoice);
        String title = msg.get("app.titleWithWorkspace", sessions.get(0).name());
        window.show(stage, title);
        if (options.ends()) {
            FirstFrame.whenPainted(stage.getScene(), this::firstFramePainted);
        }
        stage.setOnCloseRequest(e -> {
            e.consume(); // the window goes once the engines are closed as chosen
            if (closing) {
                return;
            }
            if (book.action() == null && sessions.stream().anyMatch(EngineSession::owned)) {
                Optional<EngineSession.CloseAction> choice = askCloseAction();
                if (choice.isEmpty()) {
                    return; // the user went back to the window
                }
                book = book.withAction(choice.get());
                book.save(bookFile);
            }
            closing = true;
            stage.getScene().getRoot().setDisable(true);
            EngineSession.CloseAction action = closeAction();
            CompletableFuture.supplyAsync(() -> closeSessions(action)).thenAccept(problems -> Platform.runLater(() -> {
                if (!problems.isEmpty()) {
                    Alert a = new Alert(Alert.AlertType.WARNING, String.join("\n\n", problems));
                    a.setHeaderText(msg.get("close.failed"));
                    a.initOwner(stage);
                    a.showAndWait();
                }
                Platform.exit();
            }));
        });
    }

    /** --measure-startup ends here; --smoke-test goes on to click a badge. */
    private void firstFramePainted(long paintedAt) {
        long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(paintedAt);
        System.out.println("first frame: " + (paintedAt - started) + " ms after the process started");
        if (options.measureStartup()) {
            Platform.exit();
            return;
        }
        new SmokeTest(stage.getScene(), sessions.get(0).service(), System.out).run()
                .thenAccept(code -> Platform.runLater(() -> {
                    exitCode = code;
                    Platform.exit();
                }));
    }

    private volatile boolean closing;
    private volatile boolean sessionsClosed;

    /** Closes every session as {@code action} says; returns what the user must know (a failed hand-over). */
    private List<String> closeSessions(EngineSession.CloseAction action) {
        List<String> problems = new ArrayList<>();
        if (sessionsClosed) {
            return problems;
        }
        sessionsClosed = true;
        for (EngineSession s : sessions) {
            try {
                long pid = s.close(action);
                if (pid > 0) {
                    System.err.println("agentdeck: " + s.where() + " is supervised in the background by agentdeck serve (PID "
                            + pid + "); the panel attaches to it when opened again.");
                }
            } catch (RuntimeException e) {
                problems.add(e.getMessage());
                System.err.println("agentdeck: " + e.getMessage());
            }
        }
        return problems;
    }

    private MainWindow.WorkspaceRef ref(EngineSession s, boolean first) {
        String where = s.owned() ? s.where() : msg.get("workspace.attached", s.where());
        String description = first && opened != null && opened.demo() ? msg.get("workspace.demo", s.where())
                : msg.get("workspace.home", where);
        return new MainWindow.WorkspaceRef(s.name(), s.where(), description, s.service());
    }

    /** Asks once what closing does with engines the window owns; empty when the user cancels. */
    private Optional<EngineSession.CloseAction> askCloseAction() {
        ButtonType handOver = new ButtonType(msg.get("close.handover"), ButtonBar.ButtonData.YES);
        ButtonType leave = new ButtonType(msg.get("close.leave"), ButtonBar.ButtonData.NO);
        ButtonType stop = new ButtonType(msg.get("close.stop"), ButtonBar.ButtonData.OTHER);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, msg.get("close.explain"), handOver, leave, stop, ButtonType.CANCEL);
        a.setTitle(msg.get("close.title"));
        for (ButtonType b : a.getButtonTypes()) {
            ButtonBar.setButtonUniformSize(a.getDialogPane().lookupButton(b), false); // never cut a choice short
        }
        a.setHeaderText(msg.get("close.header"));
        a.initOwner(stage);
        return a.showAndWait().map(b -> b == handOver ? EngineSession.CloseAction.HAND_OVER
                : b == leave ? EngineSession.CloseAction.LEAVE_RUNNING
                : b == stop ? EngineSession.CloseAction.STOP_ALL : null);
    }

    /** Opens and closes the engines of workspaces added and removed in the sidebar, off the FX thread. */
    private final class SidebarActions implements WorkspaceSidebar.Actions {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void addFolder(Path folder) {
            add(new WorkspaceBook.Entry(folder.toAbsolutePath().toString(), null, null));
        }

        @Override
        public void attach(String url, Path tokenFile) {
            add(new WorkspaceBook.Entry(null, url, tokenFile == null ? null : tokenFile.toAbsolutePath().toString()));
        }

        private void add(WorkspaceBook.Entry entry) {
            CompletableFuture.supplyAsync(() -> {
                try {
                    return open(entry);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).whenComplete((s, t) -> Platform.runLater(() -> {
                if (t != null) {
                    Alert a = new Alert(Alert.AlertType.ERROR, msg.get("workspaces.failed",
                            entry.home() != null ? entry.home() : entry.url(), dev.agentdeck.core.EngineException.of(t).message()));
                    a.initOwner(stage);
                    a.show();
                    return;
                }
                sessions.add(s);
                book = book.with(entry);
                book.save(bookFile);
                window.add(ref(s, false));
                window.showWorkspace(sessions.size() - 1);
            }));
        }

        @Override
        public void remove(WorkspaceItem item) {
            EngineSession s = sessions.stream().filter(x -> x.service() == item.service()).findFirst().orElse(null);
            if (s == null || s == sessions.get(0)) {
                return;
            }
            window.remove(s.service());
            sessions.remove(s);
            book.entries().stream().filter(e -> s.where().equals(e.home()) || s.where().equals(e.url())).findFirst()
                    .ifPresent(e -> {
                        book = book.without(e);
                        book.save(bookFile);
                    });
            // "Remove from the list" promises that its agents stay as they are, whatever closing the window does
            CompletableFuture.runAsync(() -> s.close(EngineSession.CloseAction.LEAVE_RUNNING));
        }
    }

    private EngineSession.CloseAction closeAction() {
        EngineSession.CloseAction a = book.action();
        return a == null ? EngineSession.CloseAction.LEAVE_RUNNING : a;
    }

    @Override
    public void stop() {
        if (window != null) {
            PanelSettings layout = window.capture();
            window.close();
            settingsStore.save(layout);
        }
        // Not closed yet when the app ends otherwise than through the window: supervision ends, agents run on.
        Thread closer = new Thread(() -> closeSessions(EngineSession.CloseAction.LEAVE_RUNNING), "agentdeck-shutdown");
        closer.start();
        try {
            closer.join(Duration.ofSeconds(90).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
