package dev.agentdeck.ui.workspaces;

import dev.agentdeck.ui.util.Messages;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The workspaces at the window's left: each with its name, place, counts and last activity; a click switches the
 * window to it. A menu adds a project folder (a home, created when new, or attached when its engine already runs)
 * or an engine by URL; the context menu removes one from the list (never its files).
 */
public final class WorkspaceSidebar {
    /** What adding and removing workspaces does; the app opens and closes their engines. */
    public interface Actions {
        Actions NONE = new Actions() {
        };

        /** Opens a project folder as a workspace. */
        default void addFolder(Path folder) {
        }

        /** Attaches to an engine by URL, with the token read from a file. */
        default void attach(String url, Path tokenFile) {
        }

        /** Removes a workspace from the list (its engine is closed; its files and agents stay). */
        default void remove(WorkspaceItem item) {
        }

        default boolean enabled() {
            return false;
        }
    }

    private final Messages msg;
    private final Actions actions;
    private final ObservableList<WorkspaceItem> items = FXCollections.observableArrayList();
    private final ListView<WorkspaceItem> list = new ListView<>(items);
    private final VBox box = new VBox();

    public WorkspaceSidebar(Messages msg, Actions actions, IntConsumer onSelect) {
        this.msg = msg;
        this.actions = actions;
        Label title = new Label(msg.get("workspaces.title"));
        title.getStyleClass().add("workspaces-title");
        MenuItem add = new MenuItem(msg.get("workspaces.add"));
        add.setOnAction(e -> chooseFolder());
        MenuItem attach = new MenuItem(msg.get("workspaces.attach"));
        attach.setOnAction(e -> askAttach());
        MenuButton plus = new MenuButton("+", null, add, attach);
        plus.setId("workspacesAdd");
        plus.setVisible(actions.enabled());
        Pane grow = new Pane();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(6, title, grow, plus);
        header.setPadding(new Insets(6, 6, 6, 8));
        list.setId("workspaceList");
        list.setCellFactory(v -> new Cell());
        list.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() >= 0) {
                onSelect.accept(i.intValue());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        box.getChildren().addAll(header, list);
        box.getStyleClass().add("workspaces");
        box.setPrefWidth(230);
        showList(false);
    }

    public Node node() {
        return box;
    }

    public List<WorkspaceItem> items() {
        return List.copyOf(items);
    }

    /** The sidebar is shown when there is more than one workspace, or adding one is possible. */
    public void showList(boolean several) {
        boolean show = several || actions.enabled();
        box.setVisible(show);
        box.setManaged(show);
    }

    public void add(WorkspaceItem item) {
        items.add(item);
    }

    public void remove(int index) {
        items.remove(index);
    }

    public void select(int index) {
        list.getSelectionModel().select(index);
    }

    public void refresh() {
        items.forEach(WorkspaceItem::refresh);
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle(msg.get("workspaces.add"));
        File dir = chooser.showDialog(box.getScene().getWindow());
        if (dir != null) {
            actions.addFolder(dir.toPath());
        }
    }

    private void askAttach() {
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle(msg.get("workspaces.attachTitle"));
        d.initOwner(box.getScene().getWindow());
        TextField url = new TextField();
        url.setPromptText("https://host:7700");
        TextField token = new TextField();
        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(8);
        form.addRow(0, new Label(msg.get("workspaces.attachUrl")), url);
        form.addRow(1, new Label(msg.get("workspaces.attachToken")), token);
        d.getDialogPane().setContent(form);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.showAndWait().filter(b -> b == ButtonType.OK && !url.getText().isBlank())
                .ifPresent(b -> actions.attach(url.getText().trim(), token.getText().isBlank() ? null : Path.of(token.getText().trim())));
    }

    private void confirmRemove(WorkspaceItem item) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, msg.get("workspaces.removeNote"), ButtonType.OK, ButtonType.CANCEL);
        a.setHeaderText(msg.get("workspaces.remove") + ": " + item.name());
        a.initOwner(box.getScene().getWindow());
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> actions.remove(item));
    }

    /** Name and place, then counts and last activity; dimmed while its engine is not reached. */
    private final class Cell extends ListCell<WorkspaceItem> {
        private final Label name = new Label();
        private final Label where = new Label();
        private final Label counts = new Label();
        private final Label activity = new Label();
        private final VBox content = new VBox(1, name, where, counts, activity);

        Cell() {
            name.getStyleClass().add("workspace-name");
            where.getStyleClass().add("workspace-where");
            counts.getStyleClass().add("workspace-counts");
            activity.getStyleClass().add("workspace-activity");
            where.setTextOverrun(javafx.scene.control.OverrunStyle.LEADING_ELLIPSIS);
        }

        @Override
        protected void updateItem(WorkspaceItem item, boolean empty) {
            super.updateItem(item, empty);
            counts.textProperty().unbind();
            activity.textProperty().unbind();
            if (empty || item == null) {
                setGraphic(null);
                setContextMenu(null);
                return;
            }
            name.setText(item.name());
            where.setText(item.where());
            counts.textProperty().bind(item.countsProperty());
            activity.textProperty().bind(item.activityProperty());
            content.opacityProperty().bind(javafx.beans.binding.Bindings.when(item.connectedProperty()).then(1.0).otherwise(0.5));
            setGraphic(content);
            if (item.removable() && actions.enabled()) {
                MenuItem remove = new MenuItem(msg.get("workspaces.remove"));
                remove.setOnAction(e -> confirmRemove(item));
                setContextMenu(new ContextMenu(remove));
            } else {
                setContextMenu(null);
            }
        }
    }
}
