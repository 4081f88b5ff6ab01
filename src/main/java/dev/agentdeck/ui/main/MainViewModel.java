package dev.agentdeck.ui.main;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DiscoveryReport;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Usage;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.detail.DetailViewModel;
import dev.agentdeck.ui.notify.Notice;
import dev.agentdeck.ui.notify.NoticePolicy;
import dev.agentdeck.ui.table.AgentFilter;
import dev.agentdeck.ui.util.Formats;
import dev.agentdeck.ui.util.Messages;
import dev.agentdeck.ui.util.UpdateBridge;
import dev.agentdeck.ui.theme.Themes;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The main window's state: one {@link AgentRowViewModel} per agent (for the table and the badges), the filter,
 * the selection and its detail, bulk actions with their progress, the host summary, notices, and a status
 * line. Fed in batches by the UI bridge; touches no Node.
 */
public final class MainViewModel {
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final Map<String, AgentRowViewModel> byId = new LinkedHashMap<>();
    // Rows report changes of what the table sorts by, so a sorted table follows live values (as htop does).
    private final ObservableList<AgentRowViewModel> rows = FXCollections.observableArrayList(r -> new Observable[]{
            r.nameProperty(), r.typeProperty(), r.kindProperty(), r.stateTextProperty(), r.healthTextProperty(),
            r.pidProperty(), r.portProperty(), r.cpuProperty(), r.memoryProperty(), r.restartsProperty(),
            r.tagsProperty(), r.adoptedProperty()});
    // One wrapper for good: a wrapper listens to the list weakly, so a listener added to a temporary one is lost
    // once that wrapper is collected (the badge bar then missed agents that appeared later).
    private final ObservableList<AgentRowViewModel> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final FilteredList<AgentRowViewModel> filtered = new FilteredList<>(rows, r -> true);
    private final StringProperty filterText = new SimpleStringProperty("");
    private final ObjectProperty<AgentRowViewModel> selected = new SimpleObjectProperty<>();
    private final BooleanProperty notificationsOn = new SimpleBooleanProperty(true);
    private final StringProperty theme = new SimpleStringProperty(Themes.SYSTEM);
    private final DetailViewModel detail;
    private final NoticePolicy notices;
    private final ReadOnlyBooleanWrapper bulkRunning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper bulkProgress = new ReadOnlyDoubleWrapper(-1);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper configProblems = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper historyProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper workspaceText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hostText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Connection> connection = new ReadOnlyObjectWrapper<>();
    private Consumer<Notice> noticeSink = n -> {
    };
    private Predicate<AgentStatus> bulkDone;
    private final GroupsViewModel groups;

    public MainViewModel(ProcessService service, Executor ui, Messages msg, String workspaceDescription) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.detail = new DetailViewModel(service, ui, msg);
        this.notices = new NoticePolicy(msg);
        this.groups = new GroupsViewModel(service, ui, msg, readOnlyRows, statusText::set);
        workspaceText.set(workspaceDescription);
        Map<String, AgentStatus> statuses = service.statuses().stream()
                .collect(Collectors.toMap(AgentStatus::id, s -> s, (a, b) -> b));
        for (AgentSpec spec : service.agents()) {
            addRow(spec, statuses.getOrDefault(spec.id(), AgentStatus.initial(spec.id(), spec.name())));
        }
        List<Problem> problems = service.configProblems();
        if (!problems.isEmpty()) {
            configProblems.set(msg.get("config.problems", problems.size()) + "\n"
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }
        historyProblem.set(service.historyProblem().orElse(""));
        filterText.addListener((o, a, text) -> {
            Predicate<AgentSpec> p = AgentFilter.of(text);
            filtered.setPredicate(r -> p.test(r.spec()));
        });
        selected.addListener((o, a, row) -> detail.show(row));
        statusText.set(msg.get("status.ready", rows.size()));
        service.host().ifPresent(this::updateHost);
        connection.set(service.connection());
    }

    // ---- commands

    public CompletableFuture<BulkResult> startAll() {
        return bulk(service::startAll, s -> s.state() != AgentState.STOPPED && s.state() != AgentState.STARTING,
                "status.startingAll", "status.startedAll");
    }

    public CompletableFuture<BulkResult> stopAll() {
        return bulk(service::stopAll, s -> !s.state().hasProcess(), "status.stoppingAll", "status.stoppedAll");
    }

    /** Re-runs discovery: agents found running are adopted; the status line says what was found. */
    public CompletableFuture<DiscoveryReport> refresh() {
        statusText.set(msg.get("status.refreshing"));
        return service.refresh().whenCompleteAsync((r, t) -> {
            if (t != null) {
                statusText.set(EngineException.of(t).message());
            } else {
                statusText.set(msg.get("status.refreshed", r.adopted().size(), r.stale().size(), r.conflicts().size(),
                        r.ambiguous().size()));
            }
        }, ui);
    }

    /** Runs one row command on each of {@code targets} (the table's selection). */
    public void each(List<AgentRowViewModel> targets, Function<AgentRowViewModel, CompletableFuture<?>> command) {
        targets.forEach(command::apply);
    }

    /** Removes an agent from the workspace (stopped first); the caller confirmed. */
    public CompletableFuture<Void> remove(String id) {
        return service.removeAgent(id).whenCompleteAsync((v, t) -> statusText.set(t != null
                ? EngineException.of(t).message() : msg.get("status.removed", id)), ui);
    }

    /** Moves the rows' uptimes on (the view calls this once a second). */
    public void tick(Instant now) {
        rows.forEach(r -> r.tick(now));
    }

    public void onNotice(Consumer<Notice> sink) {
        this.noticeSink = sink;
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

    /** Applies one batch of snapshots, events and resource samples from the bridge. */
    public void apply(UpdateBridge.Batch batch) {
        if (batch.connection() != null) {
            applyConnection(batch.connection());
        }
        List<AgentEvent> events = batch.events();
        Map<String, Usage> usage = batch.usage();
        for (AgentEvent e : events) {
            applyEvent(e);
        }
        for (AgentStatus s : batch.statuses()) {
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
        detail.onEvents(events);
        detail.onUsage(usage, Instant.now());
        if (notificationsOn.get()) {
            Map<String, String> names = byId.values().stream()
                    .collect(Collectors.toMap(AgentRowViewModel::id, r -> r.nameProperty().get(), (a, b) -> a));
            notices.decide(events, names, Instant.now()).forEach(noticeSink);
        }
        updateProgress();
        if (batch.host() != null) {
            updateHost(batch.host());
        }
    }

    /**
     * A lost engine leaves the last state it sent on screen, marked as old (the view dims it); when the engine is
     * reached again its whole state is read anew, since events may have been missed.
     */
    private void applyConnection(Connection c) {
        connection.set(c);
        if (c.connected()) {
            resync();
        }
    }

    /** Makes the rows match the service's agents and statuses (after a reconnect). */
    private void resync() {
        int before = rows.size();
        Map<String, AgentStatus> statuses = service.statuses().stream()
                .collect(Collectors.toMap(AgentStatus::id, s -> s, (a, b) -> b));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (AgentSpec spec : service.agents()) {
            ids.add(spec.id());
            AgentStatus st = statuses.getOrDefault(spec.id(), AgentStatus.initial(spec.id(), spec.name()));
            AgentRowViewModel row = byId.get(spec.id());
            if (row == null) {
                addRow(spec, st);
            } else {
                row.applySpec(spec);
                row.apply(st);
            }
        }
        for (String id : List.copyOf(byId.keySet())) {
            if (!ids.contains(id)) {
                AgentRowViewModel row = byId.remove(id);
                if (row == selected.get()) {
                    selected.set(null);
                }
                rows.remove(row);
            }
        }
        List<Problem> problems = service.configProblems();
        configProblems.set(problems.isEmpty() ? "" : msg.get("config.problems", problems.size()) + "\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        historyProblem.set(service.historyProblem().orElse(""));
        if (rows.size() != before) {
            statusText.set(msg.get("status.ready", rows.size()));
        }
    }

    /** Tries to reach a lost engine now instead of at the end of the countdown. */
    public void reconnect() {
        service.reconnect();
    }

    /** Whether the engine is reached; the view shows a banner with the reason and dims the agents when not. */
    public ReadOnlyObjectProperty<Connection> connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    /** The banner's text at {@code now} (it counts down to the next attempt), or empty when connected. */
    public String connectionBanner(Instant now) {
        Connection c = connection.get();
        if (c == null || c.connected()) {
            return "";
        }
        if (c.state() == Connection.State.CONNECTING) {
            return msg.get("connection.connecting", c.where());
        }
        long secs = c.retryAt() == null ? -1 : Math.max(0, java.time.Duration.between(now, c.retryAt()).toSeconds() + 1);
        return secs < 0 ? msg.get("connection.lost", c.where(), c.reason())
                : msg.get("connection.lostRetry", c.where(), c.reason(), secs);
    }

    private void applyEvent(AgentEvent e) {
        if (e.type() == EventType.AGENT_REMOVED && e.agentId() != null) {
            AgentRowViewModel row = byId.remove(e.agentId());
            if (row == selected.get()) {
                selected.set(null);
            }
            rows.remove(row);
        } else if (e.type() == EventType.AGENT_ADDED || e.type() == EventType.AGENT_CHANGED) {
            service.agents().stream().filter(a -> a.id().equals(e.agentId())).findFirst().ifPresent(spec -> {
                AgentRowViewModel row = byId.get(spec.id());
                if (row == null) {
                    addRow(spec, service.status(spec.id()).orElse(AgentStatus.initial(spec.id(), spec.name())));
                } else {
                    row.applySpec(spec);
                }
            });
        } else if (e.type() == EventType.CONFIG_INVALID) {
            configProblems.set(e.message() + "\n" + String.valueOf(e.details().getOrDefault("problems", "")));
        } else if (e.type() == EventType.CONFIG_RELOADED) {
            configProblems.set("");
        } else if (e.type() == EventType.FAILED || e.type() == EventType.ERROR || e.type() == EventType.FATAL) {
            statusText.set((e.agentId() == null ? "" : e.agentId() + ": ") + e.message());
        }
    }

    private void addRow(AgentSpec spec, AgentStatus status) {
        AgentRowViewModel row = new AgentRowViewModel(spec, status, service, ui, msg);
        byId.put(spec.id(), row);
        // in the engine's order, so a definition's new instances stand beside the ones it had
        Map<String, Integer> order = new java.util.HashMap<>();
        List<AgentSpec> agents = service.agents();
        for (int i = 0; i < agents.size(); i++) {
            order.put(agents.get(i).id(), i);
        }
        int mine = order.getOrDefault(spec.id(), Integer.MAX_VALUE);
        int at = (int) rows.stream().filter(r -> order.getOrDefault(r.id(), Integer.MAX_VALUE) < mine).count();
        rows.add(at, row);
    }

    private void updateProgress() {
        if (bulkDone == null || rows.isEmpty()) {
            return;
        }
        long done = rows.stream().map(r -> r.statusProperty().get()).filter(s -> s != null && bulkDone.test(s)).count();
        bulkProgress.set((double) done / rows.size());
    }

    private void updateHost(HostSample h) {
        hostText.set(msg.get("status.host", String.format(Locale.ROOT, "%.0f", h.cpuPercent()),
                Formats.bytes(h.memUsedBytes()), Formats.bytes(h.memTotalBytes()), String.format(Locale.ROOT, "%.2f", h.load1()),
                h.cores()));
    }

    // ---- state

    public ObservableList<AgentRowViewModel> rows() {
        return readOnlyRows;
    }

    /** The rows the filter lets through, in the user's order. */
    public ObservableList<AgentRowViewModel> filteredRows() {
        return filtered;
    }

    public AgentRowViewModel row(String id) {
        return byId.get(id);
    }

    /** The filter box's text (input). */
    public StringProperty filterTextProperty() {
        return filterText;
    }

    /** The agent shown in the detail area (input from the table's selection). */
    public ObjectProperty<AgentRowViewModel> selectedProperty() {
        return selected;
    }

    /** How the engine contains its agents' processes on this machine, for the About box. */
    public dev.agentdeck.core.Containment containment() {
        return service.containment();
    }

    /** Whether notices pop up (input from the settings menu). */
    public BooleanProperty notificationsOnProperty() {
        return notificationsOn;
    }

    /** "system", "light" or "dark" (input from the View menu; the window applies it). */
    public StringProperty themeProperty() {
        return theme;
    }

    public DetailViewModel detail() {
        return detail;
    }

    /** The tags in use and the commands for the agents that carry one. */
    public GroupsViewModel groups() {
        return groups;
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

    /** Problems of agents.json when it could not be loaded or reloaded; empty when fine. */
    public ReadOnlyStringProperty configProblemsProperty() {
        return configProblems.getReadOnlyProperty();
    }

    /** Why history is off, or empty. */
    public ReadOnlyStringProperty historyProblemProperty() {
        return historyProblem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty workspaceTextProperty() {
        return workspaceText.getReadOnlyProperty();
    }

    /** "CPU 12 % · Memory 3.2 GB of 23 GB · Load 0.42 (2 cores)", or empty before the first host sample. */
    public ReadOnlyStringProperty hostTextProperty() {
        return hostText.getReadOnlyProperty();
    }
}
