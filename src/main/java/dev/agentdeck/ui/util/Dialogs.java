package dev.agentdeck.ui.util;

import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;

/** Makes the panel's secondary windows alike: FXML with its controller, the app's look and icon, an owner. */
public final class Dialogs {
    private Dialogs() {
    }

    /**
     * Loads {@code fxml} with {@code controller} into a new stage of its final size (growing a stage later breaks
     * Monocle's painter in the headless tests), owned by {@code owner} and styled like it.
     */
    public static Stage stage(URL fxml, Object controller, Messages msg, Window owner, String title,
                              double width, double height) {
        FXMLLoader loader = new FXMLLoader(fxml, msg.bundle());
        loader.setController(controller);
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " could not be loaded", e);
        }
        Scene scene = new Scene(root, width, height);
        List<String> sheets = owner == null || owner.getScene() == null ? List.of() : owner.getScene().getStylesheets();
        scene.getStylesheets().addAll(sheets);
        Stage stage = new Stage();
        stage.setScene(scene);
        stage.setTitle(title);
        AppIcon.apply(stage);
        if (owner != null) {
            stage.initOwner(owner);
        }
        return stage;
    }
}
