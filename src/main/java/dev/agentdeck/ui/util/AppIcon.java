package dev.agentdeck.ui.util;

import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.util.List;

/**
 * The window icon, in the sizes window managers pick from (16 to 256 px), made from {@code icons/agentdeck.svg}
 * and packed into the jar. Loaded once, on first use, on the FX thread.
 */
public final class AppIcon {
    private static final int[] SIZES = {16, 32, 48, 64, 128, 256};
    private static List<Image> images;

    private AppIcon() {
    }

    /** Gives {@code stage} the app's icon. */
    public static void apply(Stage stage) {
        if (images == null) {
            images = java.util.Arrays.stream(SIZES)
                    .mapToObj(size -> AppIcon.class.getResource("/dev/agentdeck/icons/agentdeck-" + size + ".png"))
                    .filter(java.util.Objects::nonNull)
                    .map(url -> new Image(url.toExternalForm()))
                    .toList();
        }
        stage.getIcons().setAll(images);
    }
}
