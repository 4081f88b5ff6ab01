package dev.agentdeck.tools;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.demo.DemoWorkspace;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.ui.MainWindow;
import javafx.application.Platform;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentdeck.testutil.Fx.fx;

/**
 * Renders the real panel on the demo workspace to a PNG (the README's screenshot): starts the demo agents,
 * lets charts and logs fill for a while, shows one agent's logs, and snapshots the window. Headless with
 * Monocle, so it runs anywhere the tests run:
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.tools.PanelScreenshot -Dbench.args=docs/panel.png}.
 */
public final class PanelScreenshot {
    private PanelScreenshot() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/panel.png").toAbsolutePath();
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("prism.order", "sw");
        System.setProperty("java.awt.headless", "true");
        Path home = Files.createTempDirectory("agentdeck-screenshot");
        Workspace ws = Workspace.home(home);
        DemoWorkspace.prepare(ws.configDir());
        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);
        LocalEngine engine = LocalEngine.open(ws);
        try {
            MainWindow window = fx(() -> {
                MainWindow w = new MainWindow(engine, Platform::runLater, "demo workspace (" + home + ")");
                Stage stage = new Stage();
                stage.setWidth(1280);
                stage.setHeight(800);
                w.show(stage, "AgentDeck");
                return w;
            });
            engine.startAll().get(60, TimeUnit.SECONDS);
            Await.until("the demo agents run", Duration.ofSeconds(30),
                    () -> engine.statuses().stream().filter(s -> s.state() == AgentState.RUNNING).count() >= 4);
            fx(() -> {
                window.showLogs("chatty");
                return null;
            });
            // the picture is worth taking once the log pane and the charts have something to show
            Path chattyLog = ws.logsDir().resolve("chatty.out.log");
            Await.until("the chatty worker printed 20 lines", Duration.ofSeconds(60), () -> {
                try (var lines = Files.lines(chattyLog)) {
                    return lines.count() >= 20;
                } catch (IOException | java.io.UncheckedIOException e) {
                    return false;
                }
            });
            WritableImage image = fx(() -> window.scene().snapshot(null));
            Files.createDirectories(out.getParent());
            write(image, out);
            System.out.println("wrote " + out + " (" + (int) image.getWidth() + "x" + (int) image.getHeight() + ")");
            fx(() -> {
                window.close();
                return null;
            });
        } finally {
            engine.stopAll().get(60, TimeUnit.SECONDS);
            engine.close();
            try (var walk = Files.walk(home)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void write(WritableImage image, Path file) throws IOException {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        PixelReader pixels = image.getPixelReader();
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                png.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        ImageIO.write(png, "png", file.toFile());
    }
}
