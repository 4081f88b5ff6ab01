package dev.agentdeck.ui;

import com.sun.javafx.perf.PerformanceTracker;
import javafx.application.Platform;
import javafx.scene.Scene;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Tells once when a scene's first frame has been painted, with the wall-clock time it was painted at. JavaFX
 * has no public hook for "painted"; its performance tracker (on the class path, as AgentDeck runs JavaFX) is
 * called by the render thread when a frame is done. Without it, the end of the first laid-out pulse stands in.
 */
final class FirstFrame {
    private FirstFrame() {
    }

    /** Calls {@code painted} on the FX thread with the epoch millisecond the first frame was finished at. */
    static void whenPainted(Scene scene, LongConsumer painted) {
        AtomicBoolean once = new AtomicBoolean();
        LongConsumer report = at -> {
            if (once.compareAndSet(false, true)) {
                Platform.runLater(() -> {
                    release(scene);
                    painted.accept(at);
                });
            }
        };
        try {
            PerformanceTracker tracker = PerformanceTracker.getSceneTracker(scene);
            if (tracker != null) {
                tracker.setOnRenderedFrameTask(() -> report.accept(System.currentTimeMillis()));
                return;
            }
        } catch (LinkageError | RuntimeException e) {
            // JavaFX on the module path hides the tracker: fall back to the pulse below
        }
        pulseFallback(scene, report);
    }

    private static void pulseFallback(Scene scene, LongConsumer report) {
        Runnable[] listener = new Runnable[1];
        listener[0] = () -> {
            scene.removePostLayoutPulseListener(listener[0]);
            Platform.runLater(() -> report.accept(System.currentTimeMillis()));
        };
        scene.addPostLayoutPulseListener(listener[0]);
    }

    private static void release(Scene scene) {
        try {
            PerformanceTracker.releaseSceneTracker(scene);
        } catch (LinkageError | RuntimeException e) {
            // nothing was attached
        }
    }
}
