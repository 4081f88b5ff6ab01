package dev.agentdeck.ui.logs;

import dev.agentdeck.logs.AgentLogs;
import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One log pane: a bounded buffer of lines from a {@link LogFeed}, filtered by level, searched, followed or
 * held. While held (paused, or scrolled back) new lines wait in a bounded queue so the lines in view do not
 * move; following again appends them, noting any that were dropped. Older lines come back from the files.
 */
public final class LogPaneViewModel implements AutoCloseable, LogFeed.Listener {
    static final int OLDER_CHUNK = 2_000;

    private final LogFeed feed;
    private final Executor ui;
    private final Messages msg;
    private final Map<String, String> names;
    private final int capacity;
    private final ObservableList<LogLine> lines = FXCollections.observableArrayList();
    private final FilteredList<LogLine> visible = new FilteredList<>(lines);
    private final List<LogLine> held = new ArrayList<>();
    private long heldDropped;
    private boolean tailTrimmed;
    private final BooleanProperty following = new SimpleBooleanProperty(true);
    private final BooleanProperty wrap = new SimpleBooleanProperty(false);
    private final ObjectProperty<LevelFilter> level = new SimpleObjectProperty<>(LevelFilter.ALL);
    private final StringProperty search = new SimpleStringProperty("");
    private final ReadOnlyIntegerWrapper matchCount = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper currentMatch = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyIntegerWrapper heldCount = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final IntegerProperty scrollRequest = new SimpleIntegerProperty(-1);
    private final BooleanProperty loadingOlder = new SimpleBooleanProperty();
    private long received;
    private long lost;

    /**
     * @param names    display names by agent id; with more than one agent each line shows its agent
     * @param capacity the most lines kept in memory (older ones are read back from the files)
     */
    public LogPaneViewModel(LogFeed feed, Executor ui, Messages msg, Map<String, String> names, int capacity) {
        this.feed = feed;
        this.ui = ui;
        this.msg = msg;
        this.names = Map.copyOf(names);
        this.capacity = capacity;
        level.addListener((o, a, b) -> refilter());
        search.addListener((o, a, b) -> recountMatches());
        following.addListener((o, was, now) -> {
            if (now) {
                resumeFollowing();
            } else {
                updateStatus();
            }
        });
        updateStatus();
    }

    /** Starts reading; the backlog arrives on the UI executor. */
    public void start() {
        feed.start(this);
    }

    @Override
    public void onBacklog(List<LogLine> backlog) {
        lines.setAll(backlog.size() > capacity ? backlog.subList(backlog.size() - capacity, backlog.size()) : backlog);
        held.clear();
        heldDropped = 0;
        tailTrimmed = false;
        received += backlog.size();
        heldCount.set(0);
        recountMatches();
        updateStatus();
        if (following.get()) {
            requestScrollToEnd();
        }
    }

    @Override
    public void onLines(List<LogLine> batch, long dropped) {
        received += batch.size();
        lost += dropped;
        if (!following.get()) {
            held.addAll(batch);
            heldDropped += dropped;
            if (held.size() > capacity) {
                int extra = held.size() - capacity;
                held.subList(0, extra).clear();
                heldDropped += extra;
            }
            heldCount.set(held.size());
            updateStatus();
            return;
        }
        if (dropped > 0) {
            append(List.of(gap(dropped)));
        }
        append(batch);
        updateStatus();
        requestScrollToEnd();
    }

    private void append(List<LogLine> batch) {
        List<LogLine> add = batch.size() > capacity ? batch.subList(batch.size() - capacity, batch.size()) : batch;
        int overflow = lines.size() + add.size() - capacity;
        if (overflow > 0) {
            List<LogLine> gone = lines.subList(0, overflow);
            if (!search.get().isEmpty()) {
                matchCount.set(matchCount.get() - count(gone));
            }
            gone.clear();
        }
        lines.addAll(add);
        if (!search.get().isEmpty()) {
            matchCount.set(matchCount.get() + count(add));
        }
    }

    private void resumeFollowing() {
        if (tailTrimmed) {
            feed.reload();
            return;
        }
        if (!held.isEmpty() || heldDropped > 0) {
            if (heldDropped > 0) {
                append(List.of(gap(heldDropped)));
            }
            append(new ArrayList<>(held));
            held.clear();
            heldDropped = 0;
            heldCount.set(0);
        }
        updateStatus();
        requestScrollToEnd();
    }

    private LogLine gap(long n) {
        return new LogLine(null, LogStream.OUT, LogLevel.NONE, AgentLogs.MARKER + msg.get("logs.skipped", n));
    }

    /** Reads older lines back from the files and puts them before those shown; stops following. */
    public void loadOlder() {
        if (loadingOlder.get() || !feed.hasOlder()) {
            return;
        }
        loadingOlder.set(true);
        following.set(false);
        feed.older(OLDER_CHUNK).whenComplete((older, error) -> ui.execute(() -> {
            loadingOlder.set(false);
            if (error != null || older.isEmpty()) {
                return;
            }
            int overflow = lines.size() + older.size() - capacity;
            if (overflow > 0) {
                lines.remove(Math.max(0, lines.size() - overflow), lines.size());
                tailTrimmed = true;
            }
            List<LogLine> add = older.size() > capacity ? older.subList(older.size() - capacity, older.size()) : older;
            lines.addAll(0, add);
            recountMatches();
            updateStatus();
            scrollRequest.set(-1);
            scrollRequest.set(Math.min(add.size(), visible.size() - 1));
        }));
    }

    /** Shows the newest lines and follows again. */
    public void jumpToEnd() {
        if (following.get()) {
            requestScrollToEnd();
        } else {
            following.set(true);
        }
    }

    private void requestScrollToEnd() {
        scrollRequest.set(-1);
        scrollRequest.set(Math.max(0, visible.size() - 1));
    }

    private void refilter() {
        LevelFilter f = level.get();
        visible.setPredicate(f == LevelFilter.ALL ? null : (Predicate<LogLine>) l -> f.passes(l.level()));
        recountMatches();
        if (following.get()) {
            requestScrollToEnd();
        }
    }

    private boolean matches(LogLine line) {
        String q = search.get();
        return !q.isEmpty() && line.text().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT))
                && (level.get() == LevelFilter.ALL || level.get().passes(line.level()));
    }

    private int count(List<LogLine> some) {
        int n = 0;
        for (LogLine l : some) {
            if (matches(l)) {
                n++;
            }
        }
        return n;
    }

    private void recountMatches() {
        matchCount.set(search.get().isEmpty() ? 0 : count(lines));
        currentMatch.set(-1);
    }

    /** Moves to the next line (after the current match, or the top) that contains the search text. */
    public void nextMatch() {
        find(currentMatch.get() + 1, 1);
    }

    /** Moves to the previous match (before the current one, or from the bottom). */
    public void previousMatch() {
        int from = currentMatch.get() < 0 ? visible.size() - 1 : currentMatch.get() - 1;
        find(from, -1);
    }

    private void find(int from, int step) {
        if (search.get().isEmpty() || visible.isEmpty()) {
            return;
        }
        int n = visible.size();
        int i = Math.floorMod(from, n);
        for (int k = 0; k < n; k++, i = Math.floorMod(i + step, n)) {
            if (matches(visible.get(i))) {
                following.set(false);
                currentMatch.set(i);
                scrollRequest.set(-1);
                scrollRequest.set(i);
                return;
            }
        }
    }

    /** The lines at these visible indices as text, one per line, with their agent when several are shown. */
    public String copy(List<Integer> indices) {
        List<LogLine> pick = indices.isEmpty() ? visible : indices.stream().sorted().filter(i -> i < visible.size())
                .map(visible::get).collect(Collectors.toList());
        return pick.stream().map(this::plain).collect(Collectors.joining("\n"));
    }

    private String plain(LogLine l) {
        String prefix = l.agentId() != null && showsAgents() ? label(l) + " | " : "";
        return prefix + l.text();
    }

    /** Whether lines are labelled with their agent (more than one agent in the pane). */
    public boolean showsAgents() {
        return names.size() > 1;
    }

    /** The display name of a line's agent. */
    public String label(LogLine l) {
        return l.agentId() == null ? "" : names.getOrDefault(l.agentId(), l.agentId());
    }

    private void updateStatus() {
        String base = msg.get("logs.status", lines.size(), received);
        if (lost > 0) {
            base += " \u00b7 " + msg.get("logs.lost", lost);
        }
        if (!following.get()) {
            base += " \u00b7 " + msg.get("logs.held", held.size() + heldDropped);
        }
        status.set(base);
    }

    public ObservableList<LogLine> visibleLines() {
        return visible;
    }

    public int bufferedLines() {
        return lines.size();
    }

    public int capacity() {
        return capacity;
    }

    public BooleanProperty followingProperty() {
        return following;
    }

    public BooleanProperty wrapProperty() {
        return wrap;
    }

    public ObjectProperty<LevelFilter> levelProperty() {
        return level;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ReadOnlyIntegerProperty matchCountProperty() {
        return matchCount.getReadOnlyProperty();
    }

    /** The visible index of the current match, or -1. */
    public ReadOnlyIntegerProperty currentMatchProperty() {
        return currentMatch.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty heldCountProperty() {
        return heldCount.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A visible index the view should scroll to; set anew on each request (-1 in between). */
    public IntegerProperty scrollRequestProperty() {
        return scrollRequest;
    }

    public BooleanProperty loadingOlderProperty() {
        return loadingOlder;
    }

    public boolean hasOlder() {
        return feed.hasOlder();
    }

    /** The files behind the pane, stdout then stderr per agent. */
    public List<Path> files() {
        return feed.files();
    }

    @Override
    public void close() {
        feed.close();
    }
}
