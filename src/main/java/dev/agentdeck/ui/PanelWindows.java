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
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.main.ScaleDialog;
import dev.agentdeck.ui.templates.NewFromTemplateViewModel;
import dev.agentdeck.ui.templates.NewFromTemplateWindow;
import dev.agentdeck.ui.templates.SaveTemplateDialog;
import dev.agentdeck.ui.templates.SaveTemplateViewModel;
import dev.agentdeck.ui.transfer.ExportViewModel;
import dev.agentdeck.ui.transfer.ExportWindow;
import dev.agentdeck.ui.transfer.ImportViewModel;
import dev.agentdeck.ui.transfer.ImportWindow;
import dev.agentdeck.ui.util.FileChoosers;
import javafx.scene.Node;
import javafx.stage.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The windows the main view opens: log viewers, agent editors, import, export and template dialogs; closes them
 * with the main window. Files are read and written on a worker of its own, never on the FX thread.
 */
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
    private final ExecutorService transferWork = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agentdeck-transfer");
        t.setDaemon(true);
        return t;
    });
    private LogPaneView embedded;
    private final Map<String, AgentEditorWindow> editors = new LinkedHashMap<>();
    private final List<Stage> dialogs = new ArrayList<>();
    private FileChoosers choosers = FileChoosers.PLATFORM;

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
        if (mode != EditorMode.ADD) {
            // edit (or copy) the agents.json entry: an instance's definition, or the agent with its dependencies on
            // definitions as written (the running spec names their instances)
            service.definition(spec.id()).whenCompleteAsync((def, t) -> editor(mode, def != null ? def : spec), ui);
            return;
        }
        editor(mode, spec);
    }

    private void editor(EditorMode mode, AgentSpec spec) {
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

    @Override
    public void openImport(Consumer<List<AgentSpec>> added) {
        java.nio.file.Path file = choosers.openFile(owner.get(), msg.get("import.chooseTitle"));
        if (file == null) {
            return;
        }
        ImportViewModel vm = new ImportViewModel(service, ui, transferWork, msg);
        track(new ImportWindow(vm, msg, owner.get(), added).stage());
        vm.open(file);
    }

    @Override
    public void openExport(List<String> selectedIds) {
        ExportWindow window = new ExportWindow(new ExportViewModel(service, ui, transferWork, msg, selectedIds), msg,
                owner.get(), choosers);
        track(window.stage(), false);
        window.show();
    }

    @Override
    public void openNewFromTemplate() {
        NewFromTemplateWindow window = new NewFromTemplateWindow(new NewFromTemplateViewModel(service, ui, msg), msg,
                owner.get(), spec -> editor(EditorMode.ADD, spec));
        track(window.stage(), false);
        window.show();
    }

    @Override
    public void openSaveTemplate(AgentRowViewModel row) {
        AgentSpec spec = row.spec();
        new SaveTemplateDialog(new SaveTemplateViewModel(service, ui, spec.id(), spec.definitionId(), spec.name()), msg,
                owner.get(), spec.name()).show();
    }

    @Override
    public void openScale(AgentRowViewModel row) {
        // fails only for an agent removed meanwhile: then there is nothing to scale
        row.definition().thenAcceptAsync(def -> new ScaleDialog(row, def, msg, owner.get()).show(), ui);
    }

    private void track(Stage stage) {
        track(stage, true);
    }

    private void track(Stage stage, boolean show) {
        dialogs.add(stage);
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> dialogs.remove(stage));
        if (show) {
            stage.show();
            stage.toFront();
        }
    }

    /** Puts other file and folder choosers in place of the platform's (tests supply fixed paths). */
    void setChoosers(FileChoosers choosers) {
        this.choosers = choosers;
    }

    /** The import, export and template windows open now. */
    List<Stage> dialogs() {
        return List.copyOf(dialogs);
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
        new ArrayList<>(dialogs).forEach(Stage::close);
        logTimer.shutdownNow();
        transferWork.shutdownNow();
    }
}
