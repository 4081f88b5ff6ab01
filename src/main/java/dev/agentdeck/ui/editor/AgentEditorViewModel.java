package dev.agentdeck.ui.editor;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.DaemonSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.StopSpec;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The agent editor: every field of an {@link AgentSpec} as a property the form binds to, checked as the user
 * types, first here (ids, numbers, quotes) and then by the engine ({@link ProcessService#validate}: cwd,
 * command, port held by another program, dependency cycles), its problems shown at the fields they name.
 * Saving adds or updates through the engine, which writes agents.json atomically; a refusal keeps the form.
 */
public final class AgentEditorViewModel {
    static final long VALIDATE_DELAY_MS = 300;
    /** Problems the user is told about but may save anyway: the agent itself may be what holds its port. */
    private static final Set<String> WARNING_FIELDS = Set.of("port.held");

    private final ProcessService service;
    private final Executor ui;
    private final ScheduledExecutorService timer;
    private final Messages msg;
    private final EditorMode mode;
    private final AgentSpec original;
    private final Set<String> takenIds;

    private final StringProperty id = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty type = new SimpleStringProperty("");
    private final StringProperty command = new SimpleStringProperty("");
    private final StringProperty args = new SimpleStringProperty("");
    private final StringProperty cwd = new SimpleStringProperty("");
    private final StringProperty envFile = new SimpleStringProperty("");
    private final ObservableList<EnvRow> env = FXCollections.observableArrayList(
            r -> new Observable[]{r.nameProperty(), r.valueProperty()});
    private final BooleanProperty revealSecrets = new SimpleBooleanProperty();
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty match = new SimpleStringProperty("");
    private final BooleanProperty autostart = new SimpleBooleanProperty();
    private final StringProperty tags = new SimpleStringProperty("");
    private final StringProperty readyLogLine = new SimpleStringProperty("");
    private final ObjectProperty<RestartPolicy> restartPolicy = new SimpleObjectProperty<>(RestartPolicy.ON_FAILURE);
    private final StringProperty delayMs = new SimpleStringProperty("");
    private final StringProperty maxDelayMs = new SimpleStringProperty("");
    private final StringProperty burst = new SimpleStringProperty("");
    private final StringProperty windowSec = new SimpleStringProperty("");
    private final StringProperty resetAfterSec = new SimpleStringProperty("");
    private final ObjectProperty<Signal> stopSignal = new SimpleObjectProperty<>(Signal.TERM);
    private final StringProperty stopTimeoutSec = new SimpleStringProperty("");
    private final javafx.beans.property.BooleanProperty daemonizes = new javafx.beans.property.SimpleBooleanProperty();
    private final StringProperty daemonPidFile = new SimpleStringProperty("");
    private final StringProperty daemonTimeoutSec = new SimpleStringProperty(String.valueOf(DaemonSpec.DEFAULT_TIMEOUT_SEC));
    private final ObjectProperty<HealthKind> healthKind = new SimpleObjectProperty<>(HealthKind.NONE);
    private final StringProperty healthEndpoint = new SimpleStringProperty("");
    private final StringProperty healthHost = new SimpleStringProperty("127.0.0.1");
    private final StringProperty healthPort = new SimpleStringProperty("");
    private final StringProperty healthCommand = new SimpleStringProperty("");
    private final StringProperty intervalMs = new SimpleStringProperty("");
    private final StringProperty timeoutMs = new SimpleStringProperty("");
    private final StringProperty failureThreshold = new SimpleStringProperty("");
    private final StringProperty successThreshold = new SimpleStringProperty("");
    private final StringProperty initialDelayMs = new SimpleStringProperty("");
    private final BooleanProperty restartOnUnhealthy = new SimpleBooleanProperty();
    private final StringProperty memoryMb = new SimpleStringProperty("");
    private final StringProperty cpuPercent = new SimpleStringProperty("");
    private final ObjectProperty<LimitAction> memoryAction = new SimpleObjectProperty<>(LimitAction.RESTART);
    private final ObservableList<DependencyRow> dependencies = FXCollections.observableArrayList(
            r -> new Observable[]{r.chosenProperty(), r.conditionProperty()});
    private final ObjectProperty<Integer> instances = new SimpleObjectProperty<>(0);
    private final StringProperty schedule = new SimpleStringProperty("");
    private final StringProperty watch = new SimpleStringProperty("");
    private final FormFields fields;

    private final ObservableMap<String, String> errors = FXCollections.observableHashMap();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper validating = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final BooleanBinding canSave;
    private ScheduledFuture<?> pendingCheck;
    private long generation;

    /**
     * @param spec  the agent to edit or copy; null to add one
     * @param timer where the debounced validation waits (not the FX thread)
     */
    public AgentEditorViewModel(ProcessService service, Executor ui, ScheduledExecutorService timer, Messages msg,
                                EditorMode mode, AgentSpec spec) {
        this.service = service;
        this.ui = ui;
        this.timer = timer;
        this.msg = msg;
        this.fields = new FormFields(msg);
        this.mode = mode;
        this.takenIds = service.agents().stream().flatMap(a -> java.util.stream.Stream.of(a.id(), a.definitionId()))
                .collect(Collectors.toSet());
        AgentSpec start = spec == null ? AgentSpec.builder("").build() : spec;
        if (mode == EditorMode.DUPLICATE && spec != null) {
            String copyId = freeId(spec.id() + "-copy");
            start = spec.toBuilder().build();
            load(start);
            id.set(copyId);
            name.set(msg.get("editor.copyName", spec.name()));
        } else {
            load(start);
        }
        this.original = mode == EditorMode.EDIT ? spec : null;
        AgentSpec startSpec = start;
        // dependencies name entries of agents.json: a definition stands for all its instances
        java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
        service.agents().forEach(a -> entries.putIfAbsent(a.definitionId(), a.instanceOf() != null ? a.instanceOf() : a.name()));
        entries.entrySet().stream().filter(e -> mode != EditorMode.EDIT || !e.getKey().equals(spec.id()))
                .forEach(e -> {
                    AgentSpec a = AgentSpec.builder(e.getKey()).name(e.getValue()).build();
                    DependencyRow row = new DependencyRow(a.id(), a.name());
                    startSpec.dependsOn().stream().filter(d -> d.id().equals(a.id())).findFirst().ifPresent(d -> {
                        row.chosenProperty().set(true);
                        row.conditionProperty().set(d.condition());
                    });
                    dependencies.add(row);
                });
        canSave = Bindings.createBooleanBinding(() -> !validating.get() && !saving.get()
                        && errors.keySet().stream().allMatch(WARNING_FIELDS::contains),
                validating, saving, errors);
        revealSecrets.addListener((o, was, show) -> env.forEach(r -> r.reveal(show)));
        for (Observable o : editable()) {
            o.addListener(x -> changed());
        }
        changed();
    }

    private List<Observable> editable() {
        return List.of(id, name, type, command, args, cwd, envFile, env, port, match, autostart, tags, readyLogLine,
                restartPolicy, delayMs, maxDelayMs, burst, windowSec, resetAfterSec, stopSignal, stopTimeoutSec,
                healthKind, healthEndpoint, healthHost, healthPort, healthCommand, intervalMs, timeoutMs,
                failureThreshold, successThreshold, initialDelayMs, restartOnUnhealthy, memoryMb, cpuPercent,
                memoryAction, dependencies, instances, schedule, watch, daemonizes, daemonPidFile, daemonTimeoutSec);
    }

    private String freeId(String base) {
        String candidate = base;
        for (int n = 2; takenIds.contains(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    private void load(AgentSpec s) {
        id.set(s.id());
        name.set(s.name().equals(s.id()) ? "" : s.name());
        type.set(AgentSpec.DEFAULT_TYPE.equals(s.type()) ? "" : s.type());
        command.set(FormFields.nz(s.command()));
        args.set(ArgsLine.join(s.args()));
        cwd.set(FormFields.nz(s.cwd()));
        envFile.set(FormFields.nz(s.envFile()));
        s.env().forEach((k, v) -> env.add(new EnvRow(k, v)));
        port.set(s.port() == null ? "" : String.valueOf(s.port()));
        match.set(FormFields.nz(s.match()));
        autostart.set(s.autostart());
        tags.set(String.join(", ", s.tags()));
        readyLogLine.set(FormFields.nz(s.readyLogLine()));
        RestartSpec r = s.restart();
        restartPolicy.set(r.policy());
        delayMs.set(String.valueOf(r.delayMs()));
        maxDelayMs.set(String.valueOf(r.maxDelayMs()));
        burst.set(String.valueOf(r.burst()));
        windowSec.set(String.valueOf(r.windowSec()));
        resetAfterSec.set(String.valueOf(r.resetAfterSec()));
        stopSignal.set(s.stop().signal());
        stopTimeoutSec.set(String.valueOf(s.stop().timeoutSec()));
        daemonizes.set(s.daemon() != null);
        daemonPidFile.set(s.daemon() == null ? "" : FormFields.nz(s.daemon().pidFile()));
        daemonTimeoutSec.set(String.valueOf(s.daemon() == null ? DaemonSpec.DEFAULT_TIMEOUT_SEC : s.daemon().timeoutSec()));
        HealthCheckSpec h = s.healthCheck();
        ProbeTiming t = h == null ? ProbeTiming.DEFAULT : h.timing();
        intervalMs.set(String.valueOf(t.intervalMs()));
        timeoutMs.set(String.valueOf(t.timeoutMs()));
        failureThreshold.set(String.valueOf(t.failureThreshold()));
        successThreshold.set(String.valueOf(t.successThreshold()));
        initialDelayMs.set(String.valueOf(t.initialDelayMs()));
        restartOnUnhealthy.set(h != null && h.restartOnUnhealthy());
        if (h instanceof HealthCheckSpec.Http http) {
            healthKind.set(HealthKind.HTTP);
            healthEndpoint.set(http.endpoint());
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            healthKind.set(HealthKind.TCP);
            healthHost.set(tcp.host());
            healthPort.set(tcp.port() == null ? "" : String.valueOf(tcp.port()));
        } else if (h instanceof HealthCheckSpec.Command c) {
            healthKind.set(HealthKind.COMMAND);
            healthCommand.set(ArgsLine.join(c.command()));
        } else {
            healthKind.set(HealthKind.NONE);
        }
        memoryMb.set(s.resources().memoryMb() == null ? "" : String.valueOf(s.resources().memoryMb()));
        cpuPercent.set(s.resources().cpuPercent() == null ? "" : String.valueOf(s.resources().cpuPercent()));
        memoryAction.set(s.resources().memoryAction());
        instances.set(s.instances());
        schedule.set(FormFields.nz(s.schedule()));
        watch.set(String.join(", ", s.watch()));
    }

    /** The spec the form describes; throws {@link FormFields.FieldError} for a field that does not parse. */
    AgentSpec toSpec() {
        Map<String, String> envMap = new LinkedHashMap<>();
        for (EnvRow r : env) {
            if (!r.nameProperty().get().isBlank()) {
                envMap.put(r.nameProperty().get().trim(), r.value());
            }
        }
        ProbeTiming timing = new ProbeTiming(fields.requiredLong("healthCheck.intervalMs", intervalMs),
                fields.requiredLong("healthCheck.timeoutMs", timeoutMs), fields.requiredInt("healthCheck.failureThreshold", failureThreshold),
                fields.requiredInt("healthCheck.successThreshold", successThreshold),
                fields.requiredLong("healthCheck.initialDelayMs", initialDelayMs));
        HealthCheckSpec health = switch (healthKind.get()) {
            case NONE -> null;
            case HTTP -> new HealthCheckSpec.Http(healthEndpoint.get().trim(), timing, restartOnUnhealthy.get());
            case TCP -> new HealthCheckSpec.Tcp(healthHost.get().isBlank() ? "127.0.0.1" : healthHost.get().trim(),
                    fields.optionalInt("healthCheck.port", healthPort), timing, restartOnUnhealthy.get());
            case COMMAND -> new HealthCheckSpec.Command(fields.argsOf("healthCheck.command", healthCommand), timing,
                    restartOnUnhealthy.get());
        };
        List<Dependency> deps = dependencies.stream().filter(d -> d.chosenProperty().get())
                .map(d -> new Dependency(d.id(), d.conditionProperty().get())).toList();
        List<String> tagList = Arrays.stream(tags.get().split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
        return AgentSpec.builder(id.get().trim())
                .name(FormFields.blankToNull(name.get()))
                .type(FormFields.blankToNull(type.get()))
                .command(FormFields.blankToNull(command.get()))
                .args(fields.argsOf("args", args))
                .cwd(FormFields.blankToNull(cwd.get()))
                .env(envMap)
                .envFile(FormFields.blankToNull(envFile.get()))
                .port(fields.optionalInt("port", port))
                .match(FormFields.blankToNull(match.get()))
                .autostart(autostart.get())
                .restart(new RestartSpec(restartPolicy.get(), fields.requiredLong("restart.delayMs", delayMs),
                        fields.requiredLong("restart.maxDelayMs", maxDelayMs), fields.requiredInt("restart.burst", burst),
                        fields.requiredInt("restart.windowSec", windowSec), fields.requiredInt("restart.resetAfterSec", resetAfterSec)))
                .stop(new StopSpec(stopSignal.get(), fields.requiredInt("stop.timeoutSec", stopTimeoutSec)))
                .healthCheck(health)
                .resources(new ResourceLimits(fields.optionalInt("resources.memoryMb", memoryMb),
                        fields.optionalInt("resources.cpuPercent", cpuPercent), memoryAction.get()))
                .dependsOn(deps)
                .tags(tagList)
                .instances(instances.get() == null ? 0 : instances.get())
                .schedule(FormFields.blankToNull(schedule.get()))
                .watch(FormFields.list(watch.get()))
                .readyLogLine(FormFields.blankToNull(readyLogLine.get()))
                .daemon(daemonizes.get() ? new DaemonSpec(FormFields.blankToNull(daemonPidFile.get()),
                        fields.requiredInt("daemon.timeoutSec", daemonTimeoutSec)) : null)
                .build();
    }

    /** Something changed: check what can be checked here at once, and ask the engine after a pause in typing. */
    private void changed() {
        long gen = ++generation;
        if (pendingCheck != null) {
            pendingCheck.cancel(false);
        }
        Map<String, String> local = new LinkedHashMap<>();
        AgentSpec spec = null;
        try {
            spec = toSpec();
        } catch (FormFields.FieldError e) {
            local.put(e.field, e.getMessage());
        }
        String idText = id.get().trim();
        if (idText.isEmpty()) {
            local.put("id", msg.get("editor.idRequired"));
        } else if (mode != EditorMode.EDIT && takenIds.contains(idText)) {
            local.put("id", msg.get("editor.idTaken", idText));
        }
        if (command.get().isBlank()) {
            local.put("command", msg.get("editor.commandRequired"));
        }
        dirty.set(original == null || spec == null || !spec.equals(original));
        if (!local.isEmpty() || spec == null) {
            validating.set(false);
            show(local);
            return;
        }
        validating.set(true);
        AgentSpec checked = spec;
        pendingCheck = timer.schedule(() -> service.validate(checked).whenComplete((problems, error) -> ui.execute(() -> {
            if (gen != generation) {
                return; // the form changed since; a newer check is on its way
            }
            validating.set(false);
            Map<String, String> found = new LinkedHashMap<>();
            if (error != null) {
                found.put("", EngineException.of(error).message());
            } else {
                problems.forEach(p -> found.merge(fieldOf(p), p.what(), (a, b) -> a + "\n" + b));
            }
            show(found);
        })), VALIDATE_DELAY_MS, TimeUnit.MILLISECONDS);
    }

    /** The form field a problem names: the first word of its text ("cwd", "restart.delayMs"), or "" for none. */
    static String fieldOf(Problem p) {
        String what = p.what();
        int end = 0;
        while (end < what.length() && (Character.isLetterOrDigit(what.charAt(end)) || what.charAt(end) == '.')) {
            end++;
        }
        String field = what.substring(0, end);
        if (field.equals("port") && what.contains("is held by")) {
            return "port.held";
        }
        return field;
    }

    private void show(Map<String, String> found) {
        errors.clear();
        errors.putAll(found);
        List<String> lines = new ArrayList<>();
        found.forEach((f, m) -> lines.add(m));
        summary.set(String.join("\n", lines));
    }

    /** Saves through the engine; completes with the saved spec, or fails with the engine's refusal (shown). */
    public CompletableFuture<AgentSpec> save() {
        AgentSpec spec;
        try {
            spec = toSpec();
        } catch (FormFields.FieldError e) {
            return CompletableFuture.failedFuture(e);
        }
        saving.set(true);
        CompletableFuture<AgentSpec> f = mode == EditorMode.EDIT ? service.updateAgent(spec) : service.addAgent(spec);
        return f.whenCompleteAsync((saved, error) -> {
            saving.set(false);
            if (error != null) {
                dev.agentdeck.core.EngineError e = EngineException.of(error);
                List<String> lines = new ArrayList<>();
                lines.add(e.message());
                lines.addAll(e.details());
                summary.set(String.join("\n", lines));
                errors.put("", e.message());
            } else {
                dirty.set(false);
            }
        }, ui);
    }

    /** Removes the edited agent (stopping it first); only for EDIT. */
    public CompletableFuture<Void> remove() {
        if (original == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("only an existing agent can be removed"));
        }
        return service.removeAgent(original.id()).whenCompleteAsync((v, error) -> {
            if (error != null) {
                summary.set(EngineException.of(error).message());
            }
        }, ui);
    }

    /** Stops waiting for a validation (the window closed). */
    public void close() {
        generation++;
        if (pendingCheck != null) {
            pendingCheck.cancel(false);
        }
    }

    public EditorMode mode() {
        return mode;
    }

    /** The agent as it was when the editor opened (EDIT), else null. */
    public AgentSpec original() {
        return original;
    }

    /**
     * For a definition run as instances: that what is edited applies to all of them (the header says so); else
     * empty.
     */
    public String instancesNote() {
        return original != null && original.instanced()
                ? msg.get("editor.instancesNote", original.instances(), original.id()) : "";
    }

    public StringProperty idProperty() { return id; }
    public StringProperty nameProperty() { return name; }
    public StringProperty typeProperty() { return type; }
    public StringProperty commandProperty() { return command; }
    public StringProperty argsProperty() { return args; }
    public StringProperty cwdProperty() { return cwd; }
    public StringProperty envFileProperty() { return envFile; }
    public ObservableList<EnvRow> env() { return env; }
    /** Whether secret values are shown in clear: a secret name's value, and URL passwords, which rows mask. */
    public BooleanProperty revealSecretsProperty() { return revealSecrets; }
    public StringProperty portProperty() { return port; }
    public StringProperty matchProperty() { return match; }
    public BooleanProperty autostartProperty() { return autostart; }
    public StringProperty tagsProperty() { return tags; }
    public StringProperty readyLogLineProperty() { return readyLogLine; }
    public ObjectProperty<RestartPolicy> restartPolicyProperty() { return restartPolicy; }
    public StringProperty delayMsProperty() { return delayMs; }
    public StringProperty maxDelayMsProperty() { return maxDelayMs; }
    public StringProperty burstProperty() { return burst; }
    public StringProperty windowSecProperty() { return windowSec; }
    public StringProperty resetAfterSecProperty() { return resetAfterSec; }
    public ObjectProperty<Signal> stopSignalProperty() { return stopSignal; }
    public StringProperty stopTimeoutSecProperty() { return stopTimeoutSec; }
    public javafx.beans.property.BooleanProperty daemonizesProperty() { return daemonizes; }
    public StringProperty daemonPidFileProperty() { return daemonPidFile; }
    public StringProperty daemonTimeoutSecProperty() { return daemonTimeoutSec; }
    public ObjectProperty<HealthKind> healthKindProperty() { return healthKind; }
    public StringProperty healthEndpointProperty() { return healthEndpoint; }
    public StringProperty healthHostProperty() { return healthHost; }
    public StringProperty healthPortProperty() { return healthPort; }
    public StringProperty healthCommandProperty() { return healthCommand; }
    public StringProperty intervalMsProperty() { return intervalMs; }
    public StringProperty timeoutMsProperty() { return timeoutMs; }
    public StringProperty failureThresholdProperty() { return failureThreshold; }
    public StringProperty successThresholdProperty() { return successThreshold; }
    public StringProperty initialDelayMsProperty() { return initialDelayMs; }
    public BooleanProperty restartOnUnhealthyProperty() { return restartOnUnhealthy; }
    public StringProperty memoryMbProperty() { return memoryMb; }
    public StringProperty cpuPercentProperty() { return cpuPercent; }
    public ObjectProperty<LimitAction> memoryActionProperty() { return memoryAction; }
    public ObservableList<DependencyRow> dependencies() { return dependencies; }
    /** 0: one agent; N: a definition run as N instances. */
    public ObjectProperty<Integer> instancesProperty() { return instances; }
    public StringProperty scheduleProperty() { return schedule; }
    /** Paths, comma-separated or one a line. */
    public StringProperty watchProperty() { return watch; }

    /** Problems by field ("cwd", "restart.delayMs", "port.held" for a warning, "" for the form as a whole). */
    public ObservableMap<String, String> errors() { return errors; }
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty validatingProperty() { return validating.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty savingProperty() { return saving.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty dirtyProperty() { return dirty.getReadOnlyProperty(); }
    public BooleanBinding canSaveProperty() { return canSave; }
}
