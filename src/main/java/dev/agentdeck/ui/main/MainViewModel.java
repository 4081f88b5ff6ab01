package dev.agentdeck.ui.main;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Usage;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The main window's state: one {@link AgentRowViewModel} per agent (for the table and the badges), the
 * bulk actions with their progress, and a status line. Fed in batches by the UI bridge.
 */
public final class MainViewModel {
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final Map<String, AgentRowViewModel> byId = new LinkedHashMap<>();
    private final ObservableList<AgentRowViewModel> rows = FXCollections.observableArrayList();
    private final ObservableList<AgentRowViewModel> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyBooleanWrapper bulkRunning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper bulkProgress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper configProblems = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper workspaceText = new ReadOnlyStringWrapper("");
    private Predicate<AgentStatus> bulkDone;

    public MainViewModel(ProcessService service, Executor ui, Messages msg, String workspaceDescription) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        workspaceText.set(workspaceDescription);
        Map<String, AgentStatus> statuses = service.statuses().stream()
                .collect(Collectors.toMap(AgentStatus::id, s -> s, (a, b) -> b));
        for (AgentSpec spec : service.agents()) {
            AgentStatus s = statuses.getOrDefault(spec.id(), AgentStatus.initial(spec.id(), spec.name()));
            addRow(spec, s);
        }
        List<Problem> problems = service.configProblems();
        if (!problems.isEmpty()) {
            configProblems.set(msg.get("config.problems", problems.size()) + "\n"
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        statusText.set(msg.get("status.ready", rows.size()));
    }

    // ---- commands

    public CompletableFuture<BulkResult> startAll() {
        return bulk(service::startAll, s -> s.state() != AgentState.STOPPED && s.state() != AgentState.STARTING,
                "status.startingAll", "status.startedAll");
    }

    public CompletableFuture<BulkResult> stopAll() {
        return bulk(service::stopAll, s -> !s.state().hasProcess(), "status.stoppingAll", "status.stoppedAll");
    }

    private CompletableFuture<BulkResult> bulk(java.util.function.Supplier<CompletableFuture<BulkResult>> action,
                                               Predicate<AgentStatus> done, String runningKey, String doneKey) {
        if (bulkRunning.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("a bulk action is already running"));
        }
        bulkRunning.set(true);
        bulkDone = done;
        updateProgress();
        statusText.set(msg.get(runningKey, rows.size()));
        return action.get().whenCompleteAsync((result, t) -> {
            bulkRunning.set(false);
            bulkDone = null;
            bulkProgress.set(-1);
            if (t != null) {
                statusText.set(EngineException.of(t).message());
            } else if (result.allOk()) {
                statusText.set(msg.get(doneKey, result.items().size()));
            } else {
                statusText.set(msg.get("status.bulkFailures", result.failures().size(),
                        result.failures().stream().map(i -> i.id() + ": " + i.message()).collect(Collectors.joining("; "))));
            }
        }, ui);
    }

    // ---- updates from the bridge (on the UI executor)

    /** Applies one batch of snapshots, events and resource samples. */
    public void apply(List<AgentStatus> statuses, List<AgentEvent> events, Map<String, Usage> usage) {
        for (AgentEvent e : events) {
            if (e.type() == EventType.AGENT_REMOVED && e.agentId() != null) {
                AgentRowViewModel row = byId.remove(e.agentId());
                rows.remove(row);
            } else if (e.type() == EventType.AGENT_ADDED || e.type() == EventType.AGENT_CHANGED) {
                service.agents().stream().filter(a -> a.id().equals(e.agentId())).findFirst().ifPresent(spec -> {
                    AgentRowViewModel row = byId.get(spec.id());
                    if (row == null) {
                        addRow(spec, AgentStatus.initial(spec.id(), spec.name()));
                    } else {
                        row.applySpec(spec);
                    }
                });
            } else if (e.type() == EventType.FAILED || e.type() == EventType.ERROR) {
                statusText.set((e.agentId() == null ? "" : e.agentId() + ": ") + e.message());
            }
        }
        for (AgentStatus s : statuses) {
            AgentRowViewModel row = byId.get(s.id());
            if (row != null) {
                row.apply(s);
            }
        }
        usage.forEach((id, u) -> {
            AgentRowViewModel row = byId.get(id);
            if (row != null) {
                row.applyUsage(u);
            }
        });
        updateProgress();
    }

    private void addRow(AgentSpec spec, AgentStatus status) {
        AgentRowViewModel row = new AgentRowViewModel(spec, status, service, ui, msg);
        byId.put(spec.id(), row);
        rows.add(row);
    }

    private void updateProgress() {
        if (bulkDone == null || rows.isEmpty()) {
            return;
        }
        long done = rows.stream().map(r -> r.statusProperty().get()).filter(s -> s != null && bulkDone.test(s)).count();
        bulkProgress.set((double) done / rows.size());
    }

    // ---- read-only state

    public ObservableList<AgentRowViewModel> rows() {
        return rowsView;
    }

    public AgentRowViewModel row(String id) {
        return byId.get(id);
    }

    public ReadOnlyBooleanProperty bulkRunningProperty() {
        return bulkRunning.getReadOnlyProperty();
    }

    /** Fraction of agents that reached the bulk action's goal, or -1 when none runs. */
    public ReadOnlyDoubleProperty bulkProgressProperty() {
        return bulkProgress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusTextProperty() {
        return statusText.getReadOnlyProperty();
    }

    /** Problems of agents.json when it could not be loaded; empty when fine. */
    public ReadOnlyStringProperty configProblemsProperty() {
        return configProblems.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty workspaceTextProperty() {
        return workspaceText.getReadOnlyProperty();
    }
}
