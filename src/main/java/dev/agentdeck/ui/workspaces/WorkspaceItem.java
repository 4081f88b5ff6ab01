package dev.agentdeck.ui.workspaces;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.EngineSummary;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One workspace in the sidebar: its name and where it is (a home folder or an engine's URL), how many of its agents
 * run and failed, when something last happened, and whether its engine is reached (the Spawn API's "projects"
 * listing carries the same fields).
 */
public final class WorkspaceItem {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final String name;
    private final String where;
    private final boolean removable;
    private final ProcessService service;
    private final Messages msg;
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper activity = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(true);
    private long lastSeq;
    private Instant lastActivity;

    public WorkspaceItem(String name, String where, boolean removable, ProcessService service, Messages msg) {
        this.name = name;
        this.where = where;
        this.removable = removable;
        this.service = service;
        this.msg = msg;
        List<AgentEvent> held = service.recentEvents(0);
        if (!held.isEmpty()) {
            lastSeq = held.get(held.size() - 1).seq();
            lastActivity = held.get(held.size() - 1).time();
        }
        refresh();
    }

    /** Reads the counts, the connection and any new events again (on the UI thread, from held state only). */
    public void refresh() {
        Connection c = service.connection();
        if (c.connected() && !connected.get()) {
            lastSeq = 0; // reconnected, perhaps to a restarted engine whose events are numbered from 1 again
        }
        connected.set(c.connected());
        EngineSummary s = service.summary();
        counts.set(c.connected() ? msg.get("workspaces.counts", s.running(), s.total(), s.failed())
                : msg.get("workspaces.disconnected"));
        List<AgentEvent> news = service.recentEvents(lastSeq);
        if (!news.isEmpty()) {
            lastSeq = news.get(news.size() - 1).seq();
            lastActivity = news.get(news.size() - 1).time();
        }
        activity.set(lastActivity == null ? msg.get("workspaces.quiet") : msg.get("workspaces.activity", CLOCK.format(lastActivity)));
    }

    public String name() {
        return name;
    }

    public String where() {
        return where;
    }

    /** The first workspace (the one the panel was opened on) stays. */
    public boolean removable() {
        return removable;
    }

    public ProcessService service() {
        return service;
    }

    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty activityProperty() {
        return activity.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty connectedProperty() {
        return connected.getReadOnlyProperty();
    }
}
