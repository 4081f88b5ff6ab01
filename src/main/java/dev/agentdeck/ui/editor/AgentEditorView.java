package dev.agentdeck.ui.editor;

import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.Signal;
import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The editor's controller: lays the form out over {@code AgentEditor.fxml}'s tabs, one labelled row per field
 * with its problem under it (rows are made here so every field gets the same label, control and error line),
 * and binds them to an {@link AgentEditorViewModel}. The window decides what Save, Cancel and Remove lead to.
 */
public final class AgentEditorView {
    private static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");
    private static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");

    /** What the buttons do; the window implements it. */
    public interface Actions {
        void save();

        void cancel();

        void remove();
    }

    private final AgentEditorViewModel vm;
    private final Messages msg;
    private final Actions actions;
    private final Map<String, Label> errorLabels = new HashMap<>();
    private final Map<String, Node> fieldControls = new HashMap<>();
    private final CheckBox reveal = new CheckBox();
    private final Map<GridPane, Integer> rows = new HashMap<>();
    @FXML
    private BorderPane root;
    @FXML
    private GridPane general;
    @FXML
    private GridPane commandGrid;
    @FXML
    private GridPane environment;
    @FXML
    private VBox envRows;
    @FXML
    private GridPane health;
    @FXML
    private GridPane restart;
    @FXML
    private VBox dependencyRows;
    @FXML
    private Label dependencyError;
    @FXML
    private Label instancesNote;
    @FXML
    private Label summary;
    @FXML
    private Label checking;
    @FXML
    private Button removeButton;
    @FXML
    private Button saveButton;

    public AgentEditorView(AgentEditorViewModel vm, Messages msg, Actions actions) {
        this.vm = vm;
        this.msg = msg;
        this.actions = actions;
    }

    @FXML
    private void initialize() {
        boolean newId = vm.mode() != EditorMode.EDIT;
        TextField id = text(general, "editor.id", vm.idProperty(), "id", "editor.idPrompt");
        id.setEditable(newId);
        id.setDisable(!newId);
        text(general, "editor.name", vm.nameProperty(), "name", "editor.namePrompt");
        text(general, "editor.type", vm.typeProperty(), "type", "editor.typePrompt");
        text(general, "editor.tags", vm.tagsProperty(), "tags", "editor.tagsPrompt");
        check(general, "editor.autostart", vm.autostartProperty());
        Spinner<Integer> instances = new Spinner<>(0, 100, 0);
        instances.setEditable(true);
        instances.setId("field-instances");
        instances.getValueFactory().valueProperty().bindBidirectional(vm.instancesProperty());
        instances.setTooltip(new Tooltip(msg.get("editor.instancesPrompt")));
        addRow(general, "editor.instances", instances, "instances");
        text(general, "editor.schedule", vm.scheduleProperty(), "schedule", "editor.schedulePrompt");

        TextField command = text(commandGrid, "editor.command", vm.commandProperty(), "command", "editor.commandPrompt");
        browse(command, false);
        text(commandGrid, "editor.args", vm.argsProperty(), "args", "editor.argsPrompt");
        TextField cwd = text(commandGrid, "editor.cwd", vm.cwdProperty(), "cwd", "editor.cwdPrompt");
        browse(cwd, true);
        text(commandGrid, "editor.port", vm.portProperty(), "port", "editor.portPrompt");
        errorRow(commandGrid, "port.held");
        text(commandGrid, "editor.match", vm.matchProperty(), "match", "editor.matchPrompt");
        text(commandGrid, "editor.readyLogLine", vm.readyLogLineProperty(), "readyLogLine", "editor.readyLogLinePrompt");
        text(commandGrid, "editor.watch", vm.watchProperty(), "watch", "editor.watchPrompt");
        check(commandGrid, "editor.daemon", vm.daemonizesProperty());
        Node pidFile = text(commandGrid, "editor.daemon.pidFile", vm.daemonPidFileProperty(), "daemon.pidFile",
                "editor.daemon.pidFilePrompt");
        Node daemonTimeout = text(commandGrid, "editor.daemon.timeout", vm.daemonTimeoutSecProperty(), "daemon.timeoutSec", null);
        pidFile.disableProperty().bind(vm.daemonizesProperty().not());
        daemonTimeout.disableProperty().bind(vm.daemonizesProperty().not());

        text(environment, "editor.envFile", vm.envFileProperty(), "envFile", "editor.envFilePrompt");
        reveal.setText(msg.get("editor.env.reveal"));
        reveal.selectedProperty().bindBidirectional(vm.revealSecretsProperty());
        addRow(environment, "", reveal, null);
        errorRow(environment, "env");
        vm.env().addListener((ListChangeListener<EnvRow>) c -> {
            while (c.next()) {
                if (c.wasAdded() || c.wasRemoved()) {
                    showEnvRows();
                    return;
                }
            }
        });
        showEnvRows();

        ChoiceBox<HealthKind> kind = choice(health, "editor.health.kind", vm.healthKindProperty(), HealthKind.values(),
                k -> msg.get("editor.health.kind." + k.name().toLowerCase(Locale.ROOT)));
        kind.setId("healthKind");
        Node endpoint = text(health, "editor.health.endpoint", vm.healthEndpointProperty(), "healthCheck.endpoint",
                "editor.health.endpointPrompt");
        Node host = text(health, "editor.health.host", vm.healthHostProperty(), "healthCheck.host", null);
        Node hport = text(health, "editor.health.port", vm.healthPortProperty(), "healthCheck.port", "editor.health.portPrompt");
        Node hcommand = text(health, "editor.health.command", vm.healthCommandProperty(), "healthCheck.command",
                "editor.health.commandPrompt");
        text(health, "editor.health.interval", vm.intervalMsProperty(), "healthCheck.intervalMs", null);
        text(health, "editor.health.timeout", vm.timeoutMsProperty(), "healthCheck.timeoutMs", null);
        text(health, "editor.health.failures", vm.failureThresholdProperty(), "healthCheck.failureThreshold", null);
        text(health, "editor.health.successes", vm.successThresholdProperty(), "healthCheck.successThreshold", null);
        text(health, "editor.health.initialDelay", vm.initialDelayMsProperty(), "healthCheck.initialDelayMs", null);
        check(health, "editor.health.restartOnUnhealthy", vm.restartOnUnhealthyProperty());
        Runnable kindShown = () -> {
            HealthKind k = vm.healthKindProperty().get();
            endpoint.setDisable(k != HealthKind.HTTP);
            host.setDisable(k != HealthKind.TCP);
            hport.setDisable(k != HealthKind.TCP);
            hcommand.setDisable(k != HealthKind.COMMAND);
        };
        vm.healthKindProperty().addListener((o, a, b) -> kindShown.run());
        kindShown.run();

        choice(restart, "editor.restart.policy", vm.restartPolicyProperty(), RestartPolicy.values(), RestartPolicy::wireName);
        text(restart, "editor.restart.delay", vm.delayMsProperty(), "restart.delayMs", null);
        text(restart, "editor.restart.maxDelay", vm.maxDelayMsProperty(), "restart.maxDelayMs", null);
        text(restart, "editor.restart.burst", vm.burstProperty(), "restart.burst", null);
        text(restart, "editor.restart.window", vm.windowSecProperty(), "restart.windowSec", null);
        text(restart, "editor.restart.resetAfter", vm.resetAfterSecProperty(), "restart.resetAfterSec", null);
        choice(restart, "editor.stop.signal", vm.stopSignalProperty(), Signal.values(), Signal::name);
        text(restart, "editor.stop.timeout", vm.stopTimeoutSecProperty(), "stop.timeoutSec", null);
        text(restart, "editor.resources.memory", vm.memoryMbProperty(), "resources.memoryMb", "editor.resources.none");
        choice(restart, "editor.resources.memoryAction", vm.memoryActionProperty(), LimitAction.values(), LimitAction::wireName);
        text(restart, "editor.resources.cpu", vm.cpuPercentProperty(), "resources.cpuPercent", "editor.resources.none");

        showDependencies();
        errorLabels.put("dependsOn", dependencyError);

        vm.errors().addListener((MapChangeListener<String, String>) c -> showErrors());
        showErrors();
        summary.textProperty().bind(vm.summaryProperty());
        checking.visibleProperty().bind(vm.validatingProperty().or(vm.savingProperty()));
        saveButton.disableProperty().bind(vm.canSaveProperty().not());
        instancesNote.setText(vm.instancesNote());
        instancesNote.setVisible(!vm.instancesNote().isEmpty());
        instancesNote.setManaged(instancesNote.isVisible());
        removeButton.setVisible(vm.mode() == EditorMode.EDIT);
        removeButton.setManaged(vm.mode() == EditorMode.EDIT);
    }

    /** The next free row of a grid (GridPane counts only managed children, and hidden error lines are not). */
    private int rowOf(GridPane g) {
        int next = rows.merge(g, 1, Integer::sum) - 1;
        if (g.getColumnConstraints().isEmpty()) {
            ColumnConstraints labels = new ColumnConstraints();
            labels.setMinWidth(150);
            ColumnConstraints fields = new ColumnConstraints();
            fields.setHgrow(Priority.ALWAYS);
            g.getColumnConstraints().setAll(labels, fields);
        }
        return next;
    }

    private void addRow(GridPane g, String labelKey, Node control, String field) {
        int r = rowOf(g);
        Label label = new Label(labelKey.isEmpty() ? "" : msg.get(labelKey));
        label.setLabelFor(control);
        label.getStyleClass().add("editor-label");
        g.add(label, 0, r);
        g.add(control, 1, r);
        if (field != null) {
            fieldControls.put(field, control);
            errorRow(g, field);
        }
    }

    private void errorRow(GridPane g, String field) {
        Label error = new Label();
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.setManaged(false);
        error.setVisible(false);
        error.setId("error-" + field);
        g.add(error, 1, rowOf(g));
        errorLabels.put(field, error);
    }

    private TextField text(GridPane g, String labelKey, StringProperty p, String field, String promptKey) {
        TextField t = new TextField();
        t.setId("field-" + field);
        t.textProperty().bindBidirectional(p);
        if (promptKey != null) {
            t.setPromptText(msg.get(promptKey));
        }
        addRow(g, labelKey, t, field);
        return t;
    }

    private void check(GridPane g, String labelKey, BooleanProperty p) {
        CheckBox c = new CheckBox();
        c.selectedProperty().bindBidirectional(p);
        addRow(g, labelKey, c, null);
    }

    private <E> ChoiceBox<E> choice(GridPane g, String labelKey, ObjectProperty<E> p, E[] values, Function<E, String> text) {
        ChoiceBox<E> box = new ChoiceBox<>();
        box.getItems().setAll(values);
        box.setConverter(converter(text));
        box.valueProperty().bindBidirectional(p);
        addRow(g, labelKey, box, null);
        return box;
    }

    private static <E> StringConverter<E> converter(Function<E, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(E e) {
                return e == null ? "" : text.apply(e);
            }

            @Override
            public E fromString(String s) {
                return null;
            }
        };
    }

    /** Puts a Browse button after a field in its row: a folder chooser for cwd, a file chooser for the command. */
    private void browse(TextField field, boolean directory) {
        GridPane g = (GridPane) field.getParent();
        int r = GridPane.getRowIndex(field);
        g.getChildren().remove(field);
        Button b = new Button(msg.get("editor.browse"));
        b.setOnAction(e -> {
            File chosen;
            if (directory) {
                DirectoryChooser chooser = new DirectoryChooser();
                File current = new File(field.getText());
                if (current.isDirectory()) {
                    chooser.setInitialDirectory(current);
                }
                chosen = chooser.showDialog(root.getScene().getWindow());
            } else {
                chosen = new FileChooser().showOpenDialog(root.getScene().getWindow());
            }
            if (chosen != null) {
                field.setText(chosen.getAbsolutePath());
            }
        });
        HBox box = new HBox(6, field, b);
        HBox.setHgrow(field, Priority.ALWAYS);
        g.add(box, 1, r);
    }

    private void showEnvRows() {
        envRows.getChildren().clear();
        for (EnvRow row : vm.env()) {
            TextField name = new TextField();
            name.setPromptText(msg.get("editor.env.name"));
            name.textProperty().bindBidirectional(row.nameProperty());
            TextField plain = new TextField();
            plain.textProperty().bindBidirectional(row.valueProperty());
            PasswordField masked = new PasswordField();
            masked.textProperty().bindBidirectional(row.valueProperty());
            masked.setTooltip(new Tooltip(msg.get("editor.env.masked")));
            var hide = row.secretProperty().and(vm.revealSecretsProperty().not());
            masked.visibleProperty().bind(hide);
            plain.visibleProperty().bind(hide.not());
            plain.setPromptText(msg.get("editor.env.value"));
            StackPane value = new StackPane(plain, masked);
            Button remove = new Button("\u2715");
            remove.setTooltip(new Tooltip(msg.get("editor.env.remove")));
            remove.setOnAction(e -> vm.env().remove(row));
            HBox line = new HBox(6, name, value, remove);
            line.getStyleClass().add("env-row");
            HBox.setHgrow(value, Priority.ALWAYS);
            name.setPrefColumnCount(14);
            envRows.getChildren().add(line);
        }
    }

    private void showDependencies() {
        dependencyRows.getChildren().clear();
        if (vm.dependencies().isEmpty()) {
            dependencyRows.getChildren().add(new Label(msg.get("editor.dependencies.none")));
        }
        for (DependencyRow row : vm.dependencies()) {
            CheckBox chosen = new CheckBox(row.toString());
            chosen.selectedProperty().bindBidirectional(row.chosenProperty());
            ChoiceBox<DependencyCondition> condition = new ChoiceBox<>();
            condition.getItems().setAll(DependencyCondition.values());
            condition.setConverter(converter(c -> msg.get("editor.dependencies." + c.wireName())));
            condition.valueProperty().bindBidirectional(row.conditionProperty());
            condition.disableProperty().bind(row.chosenProperty().not());
            HBox line = new HBox(12, chosen, condition);
            HBox.setHgrow(chosen, Priority.ALWAYS);
            chosen.setMaxWidth(Double.MAX_VALUE);
            dependencyRows.getChildren().add(line);
        }
    }

    private void showErrors() {
        errorLabels.forEach((field, label) -> {
            String error = vm.errors().get(field);
            label.setText(error == null ? "" : error);
            label.setVisible(error != null);
            label.setManaged(error != null);
            label.pseudoClassStateChanged(WARNING, field.equals("port.held"));
            Node control = fieldControls.get(field);
            if (control != null) {
                control.pseudoClassStateChanged(INVALID, error != null);
            }
        });
        fieldControls.get("port").pseudoClassStateChanged(WARNING, vm.errors().containsKey("port.held"));
    }

    @FXML
    private void addEnv() {
        vm.env().add(new EnvRow("", ""));
    }

    @FXML
    private void save() {
        actions.save();
    }

    @FXML
    private void cancel() {
        actions.cancel();
    }

    @FXML
    private void remove() {
        actions.remove();
    }

    public BorderPane root() {
        return root;
    }

    /** The error line under a field ("cwd", "port.held", ...), for tests and the window's focus handling. */
    public Label errorLabel(String field) {
        return errorLabels.get(field);
    }

    public Button saveButton() {
        return saveButton;
    }
}
