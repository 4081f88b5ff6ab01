package dev.agentdeck.ui.logs;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The log viewer window: which agents it shows, and whether their lines are merged into one pane or shown
 * side by side, one pane each. Panes are made by a factory and closed when they are replaced.
 */
public final class LogViewerViewModel implements AutoCloseable {
    private final Map<String, String> agents;
    private final Function<List<String>, LogPaneViewModel> paneFactory;
    private final ObservableList<String> shown = FXCollections.observableArrayList();
    private final BooleanProperty merged = new SimpleBooleanProperty(false);
    private final ObservableList<LogPaneViewModel> panes = FXCollections.observableArrayList();

    /**
     * @param agents      every agent that can be shown, id to display name, in the panel's order
     * @param paneFactory makes (unstarted) panes over some agents' logs
     */
    public LogViewerViewModel(Map<String, String> agents, List<String> initial,
                              Function<List<String>, LogPaneViewModel> paneFactory) {
        this.agents = new LinkedHashMap<>(agents);
        this.paneFactory = paneFactory;
        shown.setAll(initial.stream().filter(agents::containsKey).toList());
        rebuild();
        shown.addListener((javafx.collections.ListChangeListener<String>) c -> rebuild());
        merged.addListener((o, a, b) -> rebuild());
    }

    private void rebuild() {
        List<LogPaneViewModel> old = new ArrayList<>(panes);
        List<String> ids = agents.keySet().stream().filter(shown::contains).toList();
        List<LogPaneViewModel> made = new ArrayList<>();
        if (!ids.isEmpty()) {
            if (merged.get()) {
                made.add(paneFactory.apply(ids));
            } else {
                ids.forEach(id -> made.add(paneFactory.apply(List.of(id))));
            }
        }
        panes.setAll(made);
        made.forEach(LogPaneViewModel::start);
        old.forEach(LogPaneViewModel::close);
    }

    /** Agent ids to names, in the panel's order. */
    public Map<String, String> agents() {
        return agents;
    }

    /** The ids shown; change it to show other agents. */
    public ObservableList<String> shown() {
        return shown;
    }

    public BooleanProperty mergedProperty() {
        return merged;
    }

    public ObservableList<LogPaneViewModel> panes() {
        return panes;
    }

    @Override
    public void close() {
        panes.forEach(LogPaneViewModel::close);
        panes.clear();
    }
}
