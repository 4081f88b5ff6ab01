package dev.agentdeck.ui.badges;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.Health;
import dev.agentdeck.core.Origin;
import dev.agentdeck.core.Usage;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.util.Formats;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One agent as the panel shows it, in its table row and its badge: read-only properties fed from engine
 * snapshots and samples, and the commands a user gives it. Touches no Node and no engine internals.
 */
public final class AgentRowViewModel {
    private final String id;
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;

    private final ReadOnlyObjectWrapper<AgentSpec> spec = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper type = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<Integer> port = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper tags = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<AgentState> state = new ReadOnlyObjectWrapper<>(AgentState.STOPPED);
    private final ReadOnlyObjectWrapper<Health> health = new ReadOnlyObjectWrapper<>(Health.UNKNOWN);
    private final ReadOnlyObjectWrapper<Long> pid = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Double> cpu = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Long> memory = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Long> uptimeMs = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Integer> restarts = new ReadOnlyObjectWrapper<>(0);
    private final ReadOnlyBooleanWrapper adopted = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<BadgeKind> kind = new ReadOnlyObjectWrapper<>(BadgeKind.STOPPED);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper healthText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper badgeText = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper tooltip = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyBooleanWrapper inFlight = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<AgentStatus> status = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Usage> usage = new ReadOnlyObjectWrapper<>();

    public AgentRowViewModel(AgentSpec spec, AgentStatus initial, ProcessService service, Executor ui, Messages msg) {
        this.id = spec.id();
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        applySpec(spec);
        apply(initial);
    }

    // ---- commands

    /** Starts a stopped agent, stops a running one; shows the transition at once and the result when it lands. */
    public CompletableFuture<AgentStatus> toggle() {
        AgentState s = state.get();
        boolean stop = s.hasProcess() || s == AgentState.BACKOFF;
        return run(stop ? service.stop(id) : service.start(id));
    }

    public CompletableFuture<AgentStatus> start() {
        return run(service.start(id));
    }

    public CompletableFuture<AgentStatus> stop() {
        return run(service.stop(id));
    }

    public CompletableFuture<AgentStatus> restart() {
        return run(service.restart(id));
    }

    public CompletableFuture<AgentStatus> kill() {
        return run(service.kill(id));
    }

    /** Pauses a running agent, resumes a paused one. */
    public CompletableFuture<AgentStatus> togglePause() {
        return run(state.get() == AgentState.PAUSED ? service.resume(id) : service.pause(id));
    }

    /**
     * Runs {@code instances} copies of this agent's definition (an instance scales its definition; a plain agent
     * becomes one). Fails with the engine's refusal, which the row also keeps as its error.
     */
    public CompletableFuture<AgentSpec> scale(int instances) {
        return service.scale(spec.get().definitionId(), instances).whenCompleteAsync(
                (s, t) -> error.set(t == null ? null : EngineException.of(t).message()), ui);
    }

    /** The agents.json entry this agent comes from (for an instance, its definition), for the editor and scaling. */
    public CompletableFuture<AgentSpec> definition() {
        return service.definition(id);
    }

    private CompletableFuture<AgentStatus> run(CompletableFuture<AgentStatus> request) {
        inFlight.set(true);
        error.set(null);
        refresh();
        return request.whenCompleteAsync((s, t) -> {
            inFlight.set(false);
            if (t != null) {
                error.set(EngineException.of(t).message());
            }
            if (s != null) {
                apply(s);
            } else {
                refresh();
            }
        }, ui);
    }

    // ---- updates from the engine (on the UI executor)

    /** Takes a snapshot unless it is older than the one already shown. */
    public void apply(AgentStatus s) {
        AgentStatus current = status.get();
        if (current != null && s.updatedAt().isBefore(current.updatedAt())) {
            return;
        }
        status.set(s);
        name.set(s.name());
        state.set(s.state());
        health.set(s.health());
        pid.set(s.pid());
        restarts.set(s.restarts());
        adopted.set(s.origin() == Origin.ADOPTED && s.state().hasProcess());
        setUsage(s.state().hasProcess() ? s.usage() : null);
        refresh();
    }

    /** Takes the latest resource sample of the running process tree. */
    public void applyUsage(Usage u) {
        if (state.get().hasProcess()) {
            setUsage(u);
            refresh();
        }
    }

    public void applySpec(AgentSpec next) {
        spec.set(next);
        type.set(next.type());
        port.set(next.port());
        tags.set(String.join(", ", next.tags()));
        if (status.get() == null) {
            name.set(next.name());
        }
        refresh();
    }

    /** Moves the uptime on to {@code now} (the view calls this once a second). */
    public void tick(Instant now) {
        AgentStatus s = status.get();
        uptimeMs.set(s == null || !s.state().hasProcess() || s.startedAt() == null ? null : s.uptimeMs(now));
    }

    private void setUsage(Usage u) {
        usage.set(u);
        cpu.set(u == null ? null : u.cpuPercent());
        memory.set(u == null ? null : u.rssBytes());
    }

    private void refresh() {
        AgentStatus s = status.get();
        BadgeKind k = BadgeKind.of(state.get(), health.get(), inFlight.get());
        kind.set(k);
        String word = inFlight.get() ? msg.get(state.get().hasProcess() ? "state.stopping" : "state.starting")
                : msg.get("state." + state.get().name().toLowerCase(Locale.ROOT));
        stateText.set(word);
        healthText.set(msg.get("health." + health.get().name().toLowerCase(Locale.ROOT)));
        badgeText.set(name.get() + " \u00B7 " + word);
        tooltip.set(tooltipText(s, word));
    }

    private String tooltipText(AgentStatus s, String word) {
        StringBuilder b = new StringBuilder();
        b.append(name.get()).append(" (").append(id).append(")\n");
        b.append(msg.get("tooltip.state", word));
        if (s != null && s.pid() != null) {
            b.append('\n').append(msg.get("tooltip.pid", String.valueOf(s.pid())))
                    .append(adopted.get() ? " " + msg.get("tooltip.adopted") : "");
            b.append('\n').append(msg.get("tooltip.uptime", Formats.duration(s.uptimeMs(Instant.now()))));
        }
        if (port.get() != null) {
            b.append('\n').append(msg.get("tooltip.port", String.valueOf(port.get())));
        }
        Usage u = usage.get();
        if (u != null) {
            b.append('\n').append(msg.get("tooltip.usage", String.format(Locale.ROOT, "%.1f", u.cpuPercent()),
                    Formats.bytes(u.rssBytes())));
        }
        b.append('\n').append(msg.get("tooltip.health", healthText.get()));
        if (s != null && s.healthMessage() != null) {
            b.append(" \u2014 ").append(s.healthMessage());
        }
        if (s != null) {
            b.append('\n').append(msg.get("tooltip.restarts", s.restarts()));
            if (s.lastExit() != null) {
                String tail = s.lastExit().stderrTail();
                String last = tail.isEmpty() ? "" : " \u2014 " + tail.substring(tail.lastIndexOf('\n') + 1);
                b.append('\n').append(msg.get("tooltip.lastExit", s.lastExit().reason() + last));
            }
            s.warnings().forEach(w -> b.append('\n').append(msg.get("tooltip.warning", w)));
        }
        if (error.get() != null) {
            b.append('\n').append(msg.get("tooltip.error", error.get()));
        }
        b.append('\n').append(msg.get(state.get().hasProcess() ? "tooltip.clickToStop" : "tooltip.clickToStart"));
        return b.toString();
    }

    // ---- read-only properties

    public String id() {
        return id;
    }

    public AgentSpec spec() {
        return spec.get();
    }

    public ReadOnlyObjectProperty<AgentSpec> specProperty() {
        return spec.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty typeProperty() {
        return type.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Integer> portProperty() {
        return port.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tagsProperty() {
        return tags.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<AgentState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Health> healthProperty() {
        return health.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty healthTextProperty() {
        return healthText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Long> pidProperty() {
        return pid.getReadOnlyProperty();
    }

    /** CPU of the whole tree (100 = one core), or null when not running or not yet sampled. */
    public ReadOnlyObjectProperty<Double> cpuProperty() {
        return cpu.getReadOnlyProperty();
    }

    /** Resident memory of the whole tree in bytes, or null. */
    public ReadOnlyObjectProperty<Long> memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Long> uptimeMsProperty() {
        return uptimeMs.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Integer> restartsProperty() {
        return restarts.getReadOnlyProperty();
    }

    /** The process was found running rather than started by this engine. */
    public ReadOnlyBooleanProperty adoptedProperty() {
        return adopted.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<BadgeKind> kindProperty() {
        return kind.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty stateTextProperty() {
        return stateText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty badgeTextProperty() {
        return badgeText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty tooltipProperty() {
        return tooltip.getReadOnlyProperty();
    }

    /** Why the last command failed, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty inFlightProperty() {
        return inFlight.getReadOnlyProperty();
    }

    /** The latest resource sample while the agent runs, else null. */
    public ReadOnlyObjectProperty<Usage> usageProperty() {
        return usage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<AgentStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }
}
