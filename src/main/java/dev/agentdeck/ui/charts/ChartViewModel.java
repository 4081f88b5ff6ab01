package dev.agentdeck.ui.charts;

import dev.agentdeck.core.Usage;
import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.process.ProcessService;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * CPU and memory over time for one agent: the last five minutes built from live samples (seeded from
 * history), or an hour, a day or a week read from history at chart resolution.
 */
public final class ChartViewModel {
    static final int POINTS = 300;
    private final ProcessService service;
    private final Executor ui;
    private final ObservableList<SamplePoint> points = FXCollections.observableArrayList();
    private final ObservableList<SamplePoint> readOnlyPoints = FXCollections.unmodifiableObservableList(points);
    private final ReadOnlyObjectWrapper<ChartRange> range = new ReadOnlyObjectWrapper<>(ChartRange.LIVE);
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper("");
    private String agentId;
    private long generation;

    public ChartViewModel(ProcessService service, Executor ui) {
        this.service = service;
        this.ui = ui;
    }

    /** Shows another agent (or none). */
    public void show(String id) {
        agentId = id;
        load();
    }

    public void select(ChartRange r) {
        range.set(r);
        load();
    }

    /** A live sample of an agent; kept when it is the one shown and the live range is on. */
    public void onUsage(String id, Usage u, Instant at) {
        if (!id.equals(agentId) || range.get() != ChartRange.LIVE) {
            return;
        }
        points.add(new SamplePoint(at, u.cpuPercent(), u.cpuPercent(), u.rssBytes(), u.rssBytes(), u.threads()));
        Instant cutoff = at.minus(ChartRange.LIVE.span());
        while (!points.isEmpty() && points.get(0).time().isBefore(cutoff)) {
            points.remove(0);
        }
    }

    private void load() {
        long gen = ++generation;
        points.clear();
        if (agentId == null) {
            note.set("");
            return;
        }
        Instant now = Instant.now();
        service.samples(agentId, now.minus(range.get().span()), now, POINTS).whenCompleteAsync((list, t) -> {
            if (gen != generation) {
                return; // the user moved on meanwhile
            }
            if (t != null) {
                note.set(t.getMessage());
                return;
            }
            List<SamplePoint> older = list.stream().filter(p -> points.isEmpty() || p.time().isBefore(points.get(0).time())).toList();
            points.addAll(0, older);
            note.set(points.isEmpty() ? service.historyProblem().orElse("") : "");
        }, ui);
    }

    public ObservableList<SamplePoint> points() {
        return readOnlyPoints;
    }

    public ReadOnlyObjectProperty<ChartRange> rangeProperty() {
        return range.getReadOnlyProperty();
    }

    /** Why the chart is empty, when history cannot say. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }
}
