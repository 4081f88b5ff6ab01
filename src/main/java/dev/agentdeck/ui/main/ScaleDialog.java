package dev.agentdeck.ui.main;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.util.Messages;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * Asks how many instances an agent's definition should run (1 to 100, starting at the current count) and scales
 * it through the row; the engine's refusal stays in the dialog.
 */
public final class ScaleDialog {
    static final int MAX = 100;
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final Spinner<Integer> spinner;

    /** @param definition the agents.json entry the row comes from (its instance count, or 0 for a plain agent) */
    public ScaleDialog(AgentRowViewModel row, AgentSpec definition, Messages msg, Window owner) {
        int now = Math.max(1, definition.instances());
        dialog.setTitle(msg.get("scale.title", definition.name()));
        dialog.setHeaderText(msg.get(definition.instanced() ? "scale.header" : "scale.headerPlain", definition.id(), now));
        dialog.initOwner(owner);
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().addAll(owner.getScene().getStylesheets());
        }
        spinner = new Spinner<>(1, MAX, now);
        spinner.setEditable(true);
        spinner.setId("scaleSpinner");
        Label error = new Label();
        error.getStyleClass().add("transfer-error");
        error.setWrapText(true);
        error.setMaxWidth(400);
        dialog.getDialogPane().setContent(new VBox(8, new Label(msg.get("scale.instances")), spinner, error));
        dialog.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Node ok = dialog.getDialogPane().lookupButton(ButtonType.OK);
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            error.setText("");
            row.scale(chosen()).whenComplete((s, t) -> {
                if (t == null) {
                    dialog.setResult(ButtonType.OK);
                } else {
                    error.setText(EngineException.of(t).message());
                }
            });
        });
    }

    /** The number shown, including one typed but not yet committed. */
    private int chosen() {
        try {
            return Integer.parseInt(spinner.getEditor().getText().trim());
        } catch (NumberFormatException e) {
            return spinner.getValue();
        }
    }

    public void show() {
        dialog.show();
    }
}
