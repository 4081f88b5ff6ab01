package dev.agentdeck.ui.detail;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Usage;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.process.Subscription;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.charts.ChartViewModel;
import dev.agentdeck.ui.util.Formats;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.InvalidationListener;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * The detail area of the selected agent: its overview, resource charts, recent events and runs. While an agent
 * is shown it is sampled at the full rate (it is being watched).
 */
public final class DetailViewModel {
    static final int MAX_EVENTS = 500;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final Set<EventType> RUN_EVENTS = Set.of(EventType.SPAWNED, EventType.ADOPTED, EventType.STOPPED,
            EventType.EXITED, EventType.FAILED);
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final ChartViewModel chart;
    private final ReadOnlyObjectWrapper<AgentRowViewModel> row = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper commandLine = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper cwd = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper process = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper port = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper schedule = new ReadOnlyStringWrapper("");
    /** The spec the schedule text was made for, and when it goes stale (its next start), so usage ticks reuse it. */
    private AgentSpec scheduleOf;
    private Instant scheduleStale;
    private final ReadOnlyStringWrapper started = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper lastExit = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper health = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper endReasons = new ReadOnlyStringWrapper("");
    private final ObservableList<AgentEvent> events = FXCollections.observableArrayList();
    private final ObservableList<AgentEvent> readOnlyEvents = FXCollections.unmodifiableObservableList(events);
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<RunRecord> readOnlyRuns = FXCollections.unmodifiableObservableList(runs);
    private final InvalidationListener onRowChange = o -> refresh();
    private Subscription watch;
    private long generation;

    public DetailViewModel(ProcessService service, Executor ui, Messages msg) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.chart = new ChartViewModel(service, ui);
    }

    /** Shows an agent, or nothing with null. */
    public void show(AgentRowViewModel next) {
        AgentRowViewModel old = row.get();
        if (old == next) {
            return;
        }
        if (old != null) {
            old.statusProperty().removeListener(onRowChange);
            old.specProperty().removeListener(onRowChange);
        }
        if (watch != null) {
            watch.close();
            watch = null;
        }
        row.set(next);
        events.clear();
        runs.clear();
        chart.show(next == null ? null : next.id());
        if (next != null) {
            next.statusProperty().addListener(onRowChange);
            next.specProperty().addListener(onRowChange);
            watch = service.watchMetrics(next.id());
            loadHistory(next.id());
        }
        refresh();
    }

    /** Events of a batch: the shown agent's go to the top of its list; run changes reload the runs. */
    public void onEvents(List<AgentEvent> batch) {
        AgentRowViewModel r = row.get();
        if (r == null) {
            return;
        }
        boolean runChanged = false;
        for (AgentEvent e : batch) {
            if (r.id().equals(e.agentId())) {
                events.add(0, e);
                runChanged |= RUN_EVENTS.contains(e.type());
            }
        }
        if (events.size() > MAX_EVENTS) {
            events.remove(MAX_EVENTS, events.size());
        }
        if (runChanged) {
            loadRuns(r.id(), generation);
        }
    }

    public void onUsage(Map<String, Usage> usage, Instant at) {
        AgentRowViewModel r = row.get();
        if (r != null && usage.containsKey(r.id())) {
            chart.onUsage(r.id(), usage.get(r.id()), at);
        }
    }

    private void loadHistory(String id) {
        long gen = ++generation;
        service.events(new EventQuery(id, List.of(), null, null, null, 200)).whenCompleteAsync((list, t) -> {
            if (gen == generation && list != null) {
                List<AgentEvent> live = List.copyOf(events);
                events.setAll(list);
                // events that arrived live while history loaded are the newest: keep them on top, once
                Set<Long> times = list.stream().map(e -> e.time().toEpochMilli()).collect(Collectors.toSet());
                events.addAll(0, live.stream().filter(e -> !times.contains(e.time().toEpochMilli())).toList());
            }
        }, ui);
        loadRuns(id, gen);
    }

    private void loadRuns(String id, long gen) {
        service.runs(id, 50).whenCompleteAsync((list, t) -> {
            if (gen == generation && list != null) {
                runs.setAll(list);
                endReasons.set(list.stream().filter(r -> r.endReason() != null).limit(3)
                        .map(r -> WHEN.format(r.endedAt() == null ? r.startedAt() : r.endedAt()) + "  " + r.endReason())
                        .collect(Collectors.joining("\n")));
            }
        }, ui);
    }

    private void refresh() {
        AgentRowViewModel r = row.get();
        if (r == null) {
            for (ReadOnlyStringWrapper w : List.of(title, commandLine, cwd, process, port, schedule, started, lastExit, health,
                    message, endReasons)) {
                w.set("");
            }
            scheduleOf = null;
            return;
        }
        AgentSpec spec = r.spec();
        AgentStatus s = r.statusProperty().get();
        title.set(spec.name() + (spec.name().equals(spec.id()) ? "" : "  (" + spec.id() + ")"));
        commandLine.set(spec.command() + (spec.args().isEmpty() ? "" : " " + String.join(" ", spec.args())));
        cwd.set(spec.cwd() == null ? msg.get("detail.cwdDefault") : spec.cwd());
        port.set(spec.port() == null ? "\u2014" : String.valueOf(spec.port()));
        if (spec != scheduleOf || (scheduleStale != null && !Instant.now().isBefore(scheduleStale))) {
            scheduleOf = spec;
            schedule.set(schedule(spec));
        }
        if (s == null) {
            return;
        }
        process.set(s.pid() == null ? msg.get("detail.noProcess")
                : msg.get("detail.process", s.pid(), msg.get("origin." + s.origin().name().toLowerCase(java.util.Locale.ROOT))));
        started.set(s.startedAt() == null ? "\u2014" : WHEN.format(s.startedAt())
                + "  (" + Formats.duration(s.uptimeMs(Instant.now())) + ")");
        lastExit.set(s.lastExit() == null ? "\u2014" : WHEN.format(s.lastExit().at()) + "  " + s.lastExit().reason());
        health.set(msg.get("health." + s.health().name().toLowerCase(java.util.Locale.ROOT))
                + (s.healthMessage() == null ? "" : " \u2014 " + s.healthMessage()));
        message.set(s.message() == null ? "" : s.message());
    }

    /** When the agent starts by itself and what restarts it: its cron schedule with the next time, its watched paths. */
    private String schedule(AgentSpec spec) {
        scheduleStale = null;
        List<String> parts = new java.util.ArrayList<>();
        if (spec.schedule() != null) {
            try {
                java.time.ZonedDateTime next = dev.agentdeck.core.CronExpression.parse(spec.schedule())
                        .next(java.time.ZonedDateTime.now());
                scheduleStale = next.toInstant();
                parts.add(msg.get("detail.scheduleNext", spec.schedule(), WHEN.format(next.toInstant())));
            } catch (IllegalArgumentException e) {
                parts.add(spec.schedule());
            }
        }
        if (!spec.watch().isEmpty()) {
            parts.add(msg.get("detail.watching", String.join(", ", spec.watch())));
        }
        return parts.isEmpty() ? "\u2014" : String.join("\n", parts);
    }

    // ---- read-only state

    public ReadOnlyStringProperty scheduleProperty() {
        return schedule.getReadOnlyProperty();
    }

    public ChartViewModel chart() {
        return chart;
    }

    public ReadOnlyObjectProperty<AgentRowViewModel> rowProperty() {
        return row.getReadOnlyProperty();
    }

    public ObservableList<AgentEvent> events() {
        return readOnlyEvents;
    }

    public ObservableList<RunRecord> runs() {
        return readOnlyRuns;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty commandLineProperty() {
        return commandLine.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty cwdProperty() {
        return cwd.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty processProperty() {
        return process.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty portProperty() {
        return port.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty startedProperty() {
        return started.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastExitProperty() {
        return lastExit.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The latest runs' end reasons, newest first. */
    public ReadOnlyStringProperty endReasonsProperty() {
        return endReasons.getReadOnlyProperty();
    }

    /** Stops watching the shown agent. */
    public void close() {
        show(null);
    }
}
