package dev.agentdeck.ui.transfer;

import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ExportFormat;
import dev.agentdeck.ui.util.Dialogs;
import dev.agentdeck.ui.util.FileChoosers;
import dev.agentdeck.ui.util.Messages;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;

import java.nio.file.Path;

/**
 * The export dialog's window over {@code Export.fxml}: format, scope, folder and a preview; Export writes the
 * files, asking first when some exist already, and the status line says what was written.
 */
public final class ExportWindow {
    private final ExportViewModel vm;
    private final Messages msg;
    private final FileChoosers choosers;
    private final Stage stage;
    @FXML
    private ComboBox<ExportFormat> formatBox;
    @FXML
    private ToggleGroup scopeGroup;
    @FXML
    private RadioButton selectedScope;
    @FXML
    private RadioButton allScope;
    @FXML
    private TextField folderField;
    @FXML
    private ListView<ExportFile> filesList;
    @FXML
    private TextArea previewArea;
    @FXML
    private Label statusLabel;
    @FXML
    private Button exportButton;

    public ExportWindow(ExportViewModel vm, Messages msg, Window owner, FileChoosers choosers) {
        this.vm = vm;
        this.msg = msg;
        this.choosers = choosers;
        this.stage = Dialogs.stage(ExportWindow.class.getResource("Export.fxml"), this, msg, owner,
                msg.get("export.title"), 720, 560);
    }

    @FXML
    private void initialize() {
        formatBox.getItems().setAll(ExportFormat.values());
        formatBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(ExportFormat f) {
                return f == null ? "" : f.label();
            }

            @Override
            public ExportFormat fromString(String s) {
                return null;
            }
        });
        formatBox.valueProperty().bindBidirectional(vm.formatProperty());
        selectedScope.setText(msg.get("export.selected"));
        selectedScope.setDisable(!vm.hasSelection());
        selectedScope.setUserData(ExportViewModel.Scope.SELECTED);
        allScope.setUserData(ExportViewModel.Scope.ALL);
        (vm.scopeProperty().get() == ExportViewModel.Scope.SELECTED ? selectedScope : allScope).setSelected(true);
        scopeGroup.selectedToggleProperty().addListener((o, a, t) -> {
            if (t != null) {
                vm.scopeProperty().set((ExportViewModel.Scope) t.getUserData());
            }
        });
        folderField.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "" : vm.folderProperty().get().toString(), vm.folderProperty()));
        filesList.setItems(vm.files());
        filesList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(ExportFile f, boolean empty) {
                super.updateItem(f, empty);
                setText(empty || f == null ? null : f.name());
            }
        });
        previewArea.textProperty().bind(vm.previewProperty());
        statusLabel.textProperty().bind(vm.statusProperty());
        exportButton.disableProperty().bind(vm.canExportProperty().not());
    }

    @FXML
    private void chooseFolder() {
        Path chosen = choosers.chooseFolder(stage, msg.get("export.folderTitle"));
        if (chosen != null) {
            vm.folderProperty().set(chosen);
        }
    }

    @FXML
    private void export() {
        vm.write(false).thenAccept(outcome -> {
            if (outcome.written().isEmpty() && !outcome.existing().isEmpty() && confirmOverwrite(outcome)) {
                vm.write(true);
            }
        });
    }

    private boolean confirmOverwrite(ExportViewModel.Outcome outcome) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                msg.get("export.overwrite", String.join(", ", outcome.existing())), ButtonType.OK, ButtonType.CANCEL);
        alert.setHeaderText(msg.get("export.overwriteTitle", outcome.existing().size()));
        alert.initOwner(stage);
        return alert.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    @FXML
    public void close() {
        stage.close();
    }

    /** Shows the window and asks the engine for the first preview. */
    public void show() {
        stage.show();
        stage.toFront();
        vm.refresh();
    }

    public Stage stage() {
        return stage;
    }
}
