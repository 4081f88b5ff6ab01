package dev.agentdeck.ui;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.detail.DetailView;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.editor.AgentEditorViewModel;
import dev.agentdeck.ui.editor.AgentEditorWindow;
import dev.agentdeck.ui.logs.LogFeed;
import dev.agentdeck.ui.logs.LogPaneView;
import dev.agentdeck.ui.logs.LogPaneViewModel;
import dev.agentdeck.ui.logs.LogViewerViewModel;
import dev.agentdeck.ui.logs.LogViewerWindow;
import javafx.scene.Node;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The windows the main view opens: log viewers and agent editors; closes them with the main window. */
final class PanelWindows implements AgentWindows {
    /** Lines kept in memory by the detail area's pane and by a log viewer pane; older ones stay in the files. */
    static final int EMBEDDED_LINES = 5_000;
    static final int VIEWER_LINES = 20_000;
    /** Lines read from the end of each file when a pane opens. */
    static final int BACKLOG_LINES = 2_000;
    /**
     * New lines a pane takes per delivery (every 100 ms), at most: 10,000 lines a second is more than anyone
     * reads, and a flood beyond it would make each frame re-lay thousands of rows. The rest stays in the files
     * and the pane says how many it skipped.
     */
    static final int MAX_LINES_PER_DELIVERY = 1_000;
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final Supplier<Stage> owner;
    private final List<LogViewerWindow> viewers = new ArrayList<>();
    private final ScheduledExecutorService logTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-logs");
        t.setDaemon(true);
        return t;
    });
    private LogPaneView embedded;
    private final Map<String, AgentEditorWindow> editors = new LinkedHashMap<>();

    PanelWindows(ProcessService service, Executor ui, Messages msg, Supplier<Stage> owner) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.owner = owner;
    }

    @Override
    public void openLogs(List<String> agentIds) {
        Map<String, String> names = new LinkedHashMap<>();
        service.agents().forEach(a -> names.put(a.id(), a.name()));
        List<String> shown = agentIds.isEmpty() ? List.copyOf(names.keySet()) : agentIds;
        LogViewerViewModel vm = new LogViewerViewModel(names, shown, ids -> pane(ids, names, VIEWER_LINES));
        Stage main = owner.get();
        LogViewerWindow window = new LogViewerWindow(vm, msg, main,
                main == null || main.getScene() == null ? List.of() : main.getScene().getStylesheets());
        viewers.add(window);
        window.stage().setOnHidden(e -> {
            viewers.remove(window);
            vm.close();
        });
        window.show();
    }

    private LogPaneViewModel pane(List<String> ids, Map<String, String> names, int capacity) {
        Map<String, String> shown = new LinkedHashMap<>();
        ids.forEach(id -> shown.put(id, names.getOrDefault(id, id)));
        LogFeed feed = new LogFeed(service.logs(), ids, BACKLOG_LINES, Math.min(capacity, MAX_LINES_PER_DELIVERY),
                logTimer, ui);
        return new LogPaneViewModel(feed, ui, msg, shown, capacity);
    }

    /** The log viewers open now. */
    List<LogViewerWindow> viewers() {
        return List.copyOf(viewers);
    }

    @Override
    public void openEditor(EditorMode mode, AgentSpec spec) {
        if (mode == EditorMode.EDIT) {
            AgentEditorWindow open = editors.get(spec.id());
            if (open != null) {
                open.show();
                return;
            }
        }
        AgentEditorViewModel vm = new AgentEditorViewModel(service, ui, logTimer, msg, mode, spec);
        Stage main = owner.get();
        AgentEditorWindow window = new AgentEditorWindow(vm, msg, main,
                main == null || main.getScene() == null ? List.of() : main.getScene().getStylesheets());
        String key = mode == EditorMode.EDIT ? spec.id() : "+new-" + System.identityHashCode(window);
        editors.put(key, window);
        window.stage().addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> editors.remove(key));
        window.show();
    }

    /** The editors open now. */
    List<AgentEditorWindow> editors() {
        return List.copyOf(editors.values());
    }

    DetailView.EmbeddedLogs embeddedLogs(String agentId) {
        Map<String, String> names = new LinkedHashMap<>();
        service.agents().forEach(a -> names.put(a.id(), a.name()));
        LogPaneViewModel vm = pane(List.of(agentId), names, EMBEDDED_LINES);
        LogPaneView view = LogPaneView.create(vm, msg);
        vm.start();
        embedded = view;
        return new DetailView.EmbeddedLogs() {
            @Override
            public Node view() {
                return view.root();
            }

            @Override
            public void close() {
                vm.close();
            }
        };
    }

    /** The log pane in the detail area, once one was made. */
    LogPaneView embedded() {
        return embedded;
    }

    void close() {
        new ArrayList<>(viewers).forEach(LogViewerWindow::close);
        new ArrayList<>(editors.values()).forEach(AgentEditorWindow::close);
        logTimer.shutdownNow();
    }
}
