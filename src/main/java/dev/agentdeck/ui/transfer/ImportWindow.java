package dev.agentdeck.ui.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportNote;
import dev.agentdeck.transfer.ImportProblem;
import dev.agentdeck.ui.util.Dialogs;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The import preview's window over {@code Import.fxml}: the format (changeable), the agents that would be added,
 * the settings not carried over and the problems. Import adds them and closes; a refusal keeps the window open
 * with the engine's reasons.
 */
public final class ImportWindow {
    private final ImportViewModel vm;
    private final Messages msg;
    private final Consumer<List<AgentSpec>> added;
    private final Stage stage;
    @FXML
    private Label sourceLabel;
    @FXML
    private ComboBox<ImportFormat> formatBox;
    @FXML
    private ProgressIndicator readingIndicator;
    @FXML
    private Label statusLabel;
    @FXML
    private TableView<ImportRow> agentsTable;
    @FXML
    private Label notesTitle;
    @FXML
    private ListView<ImportNote> notesList;
    @FXML
    private Label problemsTitle;
    @FXML
    private ListView<ImportProblem> problemsList;
    @FXML
    private Label errorLabel;
    @FXML
    private CheckBox acceptBox;
    @FXML
    private Button importButton;

    /** @param added told the agents the engine added, once it did */
    public ImportWindow(ImportViewModel vm, Messages msg, Window owner, Consumer<List<AgentSpec>> added) {
        this.vm = vm;
        this.msg = msg;
        this.added = added;
        this.stage = Dialogs.stage(ImportWindow.class.getResource("Import.fxml"), this, msg, owner,
                msg.get("import.title"), 860, 600);
    }

    @FXML
    private void initialize() {
        sourceLabel.textProperty().bind(vm.sourceProperty());
        formatBox.getItems().setAll(ImportFormat.values());
        formatBox.setPromptText(msg.get("import.formatPrompt"));
        formatBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(ImportFormat f) {
                return f == null ? "" : f.label();
            }

            @Override
            public ImportFormat fromString(String s) {
                return null;
            }
        });
        formatBox.valueProperty().bindBidirectional(vm.formatProperty());
        readingIndicator.visibleProperty().bind(vm.readingProperty().or(vm.importingProperty()));
        statusLabel.textProperty().bind(vm.statusProperty());
        buildTable();
        notesList.setItems(vm.notes());
        problemsList.setItems(vm.problems());
        problemsList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ImportProblem p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : msg.get("import.problem", p.line(),
                        p.field() == null || p.field().isEmpty() ? "" : p.field() + ": ", p.message()));
            }
        });
        showWhenAny(notesTitle, notesList, Bindings.isNotEmpty(vm.notes()));
        showWhenAny(problemsTitle, problemsList, Bindings.isNotEmpty(vm.problems()));
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        acceptBox.textProperty().bind(vm.acceptTextProperty());
        acceptBox.selectedProperty().bindBidirectional(vm.acceptPartialProperty());
        acceptBox.visibleProperty().bind(Bindings.isNotEmpty(vm.problems()).and(Bindings.isNotEmpty(vm.rows())));
        importButton.disableProperty().bind(vm.canImportProperty().not());
    }

    private static void showWhenAny(Node title, Node list, javafx.beans.binding.BooleanBinding any) {
        for (Node n : List.of(title, list)) {
            n.visibleProperty().bind(any);
            n.managedProperty().bind(any);
        }
    }

    private void buildTable() {
        agentsTable.setPlaceholder(new Label(msg.get("import.none")));
        agentsTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        agentsTable.getColumns().setAll(List.of(column("import.col.id", ImportRow::id, 110),
                column("import.col.command", ImportRow::command, 260), column("import.col.cwd", ImportRow::cwd, 120),
                column("import.col.instances", ImportRow::instances, 70),
                column("import.col.restart", ImportRow::restart, 90), column("import.col.health", ImportRow::health, 140)));
        agentsTable.setItems(vm.rows());
    }

    private TableColumn<ImportRow, String> column(String key, Function<ImportRow, String> value, double width) {
        TableColumn<ImportRow, String> c = new TableColumn<>(msg.get(key));
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    @FXML
    private void importAgents() {
        vm.importAgents().thenAccept(agents -> {
            stage.close();
            added.accept(agents);
        });
    }

    @FXML
    private void cancel() {
        stage.close();
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public Stage stage() {
        return stage;
    }

    public ImportViewModel viewModel() {
        return vm;
    }

    public void close() {
        stage.close();
    }
}
