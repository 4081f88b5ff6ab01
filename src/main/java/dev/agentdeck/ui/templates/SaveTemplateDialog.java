package dev.agentdeck.ui.templates;

import dev.agentdeck.ui.util.Messages;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/**
 * Asks for a template's id, name and description and saves the agent as that template; stays open with the
 * engine's reason when it refuses.
 */
public final class SaveTemplateDialog {
    private final Dialog<ButtonType> dialog = new Dialog<>();

    public SaveTemplateDialog(SaveTemplateViewModel vm, Messages msg, Window owner, String agentName) {
        dialog.setTitle(msg.get("saveTemplate.title"));
        dialog.setHeaderText(msg.get("saveTemplate.header", agentName));
        dialog.initOwner(owner);
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        GridPane grid = new GridPane();
        grid.getStyleClass().add("dialog-grid");
        grid.setHgap(8);
        grid.setVgap(6);
        row(grid, 0, msg.get("saveTemplate.id"), field(vm.idProperty(), "templateId"));
        row(grid, 1, msg.get("saveTemplate.name"), field(vm.nameProperty(), "templateName"));
        row(grid, 2, msg.get("saveTemplate.description"), field(vm.descriptionProperty(), "templateDescription"));
        Label error = new Label();
        error.getStyleClass().add("transfer-error");
        error.setWrapText(true);
        error.setMaxWidth(420);
        error.textProperty().bind(vm.errorProperty());
        grid.add(error, 0, 3, 2, 1);
        dialog.getDialogPane().setContent(grid);
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            vm.save().thenAccept(t -> dialog.setResult(ButtonType.OK));
        });
    }

    private static TextField field(javafx.beans.property.StringProperty p, String id) {
        TextField t = new TextField();
        t.setId(id);
        t.setPrefColumnCount(28);
        t.textProperty().bindBidirectional(p);
        return t;
    }

    private static void row(GridPane g, int r, String label, Node control) {
        g.add(new Label(label), 0, r);
        g.add(control, 1, r);
    }

    public void show() {
        dialog.show();
    }
}
