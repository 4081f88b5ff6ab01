package dev.agentdeck.testutil;

import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;

/** What the window tests do on the FX thread: read state, and click nodes measured there. */
public final class Fx {
    private Fx() {
    }

    /** Runs {@code read} on the FX thread and returns its result. */
    public static <T> T fx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Clicks the node {@code find} returns, measured on the FX thread: TestFX's clickOn(query) measures it on the
     * test thread while the FX thread may be laying it out.
     */
    public static void click(FxRobot robot, Callable<Node> find, MouseButton button) {
        Point2D p = fx(() -> {
            Node n = find.call();
            Bounds b = n.localToScreen(n.getBoundsInLocal());
            return new Point2D(b.getCenterX(), b.getCenterY());
        });
        robot.clickOn(p, button);
    }

    public static void click(FxRobot robot, Callable<Node> find) {
        click(robot, find, MouseButton.PRIMARY);
    }
}
