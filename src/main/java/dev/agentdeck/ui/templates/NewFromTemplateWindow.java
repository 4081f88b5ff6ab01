package dev.agentdeck.ui.templates;

import dev.agentdeck.config.Templates;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.ui.util.Dialogs;
import dev.agentdeck.ui.util.Messages;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.util.function.Consumer;

/**
 * The template picker over {@code NewFromTemplate.fxml}: each template with its description and whether it is
 * built in or the user's; "Open in editor" hands the new agent to the editor and closes.
 */
public final class NewFromTemplateWindow {
    private final NewFromTemplateViewModel vm;
    private final Messages msg;
    private final Consumer<AgentSpec> edit;
    private final Stage stage;
    @FXML
    private ListView<Templates.Template> templateList;
    @FXML
    private Label problemsLabel;
    @FXML
    private TextField idField;
    @FXML
    private Label idError;
    @FXML
    private Button createButton;

    /** @param edit opens the editor on the new agent */
    public NewFromTemplateWindow(NewFromTemplateViewModel vm, Messages msg, Window owner, Consumer<AgentSpec> edit) {
        this.vm = vm;
        this.msg = msg;
        this.edit = edit;
        this.stage = Dialogs.stage(NewFromTemplateWindow.class.getResource("NewFromTemplate.fxml"), this, msg, owner,
                msg.get("templates.title"), 560, 480);
    }

    @FXML
    private void initialize() {
        templateList.setItems(vm.templates());
        templateList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Templates.Template t, boolean empty) {
                super.updateItem(t, empty);
                if (empty || t == null) {
                    setGraphic(null);
                    return;
                }
                Label name = new Label(t.name() + "  \u00b7  " + vm.origin(t));
                name.getStyleClass().add("template-name");
                Label description = new Label(t.description());
                description.getStyleClass().add("template-description");
                description.setWrapText(true);
                description.setMaxWidth(480);
                setGraphic(new VBox(2, name, description));
            }
        });
        templateList.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> vm.selectedProperty().set(t));
        problemsLabel.textProperty().bind(vm.problemsProperty());
        problemsLabel.visibleProperty().bind(vm.problemsProperty().isNotEmpty());
        problemsLabel.managedProperty().bind(problemsLabel.visibleProperty());
        idField.textProperty().bindBidirectional(vm.idProperty());
        idError.textProperty().bind(vm.idErrorProperty());
        idError.visibleProperty().bind(vm.idErrorProperty().isNotEmpty().and(vm.selectedProperty().isNotNull()));
        createButton.disableProperty().bind(vm.canCreateProperty().not());
    }

    @FXML
    private void create() {
        AgentSpec spec = vm.spec();
        if (spec != null) {
            stage.close();
            edit.accept(spec);
        }
    }

    @FXML
    private void cancel() {
        stage.close();
    }

    /** Shows the window and loads the templates. */
    public void show() {
        stage.show();
        stage.toFront();
        vm.load();
    }

    public Stage stage() {
        return stage;
    }
}
