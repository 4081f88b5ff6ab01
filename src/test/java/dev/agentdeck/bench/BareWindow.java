package dev.agentdeck.bench;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The floor under the start-up figure: a JavaFX window with one label, timed like the panel (process start to
 * first painted frame). {@code StartupBenchmark --launcher bare} runs it.
 */
public final class BareWindow {
    /** Apart from the main class: the java launcher refuses a main class that is an Application without JavaFX modules. */
    public static final class Window extends Application {
        @Override
        public void start(Stage stage) {
            Scene scene = new Scene(new Label("AgentDeck"), 1100, 700);
            stage.setScene(scene);
            stage.show();
            com.sun.javafx.perf.PerformanceTracker.getSceneTracker(scene).setOnRenderedFrameTask(() -> {
                long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
                System.out.println("first frame: " + (System.currentTimeMillis() - started) + " ms after the process started");
                Platform.exit();
            });
        }
    }

    public static void main(String[] args) {
        if (java.util.List.of(args).contains("--headless")) {
            dev.agentdeck.app.Headless.configure();
        }
        Application.launch(Window.class, args);
    }
}
