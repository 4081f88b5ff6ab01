package dev.agentdeck.ui;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Fx;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.badges.BadgeKind;
import dev.agentdeck.ui.badges.BadgeView;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.agentdeck.testutil.Fx.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real main window over a real engine with real agents, driven by TestFX (headless Monocle in CI). */
@ExtendWith(ApplicationExtension.class)
class PanelWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private LocalEngine engine;
    private MainWindow window;
    private final List<Long> pids = new ArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        TestHome home = new TestHome(tmp);
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "db", "name": "Database", "command": "sleep", "args": ["300"]},
                  {"id": "api", "name": "API", "command": "sleep", "args": ["300"], "dependsOn": ["db"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
        window = new MainWindow(engine, Platform::runLater, "test workspace");
        window.show(stage, "AgentDeck test");
        stage.requestFocus();
        this.stage = stage;
    }

    private Stage stage;

    @Test
    void theWindowCarriesTheAppIconFrom16To256Pixels() {
        List<Double> widths = fx(() -> stage.getIcons().stream().map(javafx.scene.image.Image::getWidth).toList());
        assertEquals(List.of(16.0, 32.0, 48.0, 64.0, 128.0, 256.0), widths);
        assertFalse(fx(() -> stage.getIcons().get(5).isError()), "the 256 px image loaded");
    }

    @Test
    void theAboutBoxSaysHowTheEngineContainsItsAgentsProcesses(FxRobot robot) {
        fx(() -> {
            javafx.scene.control.MenuButton view = robot.lookup("#settingsMenu").query();
            view.getItems().stream().filter(i -> "aboutItem".equals(i.getId())).findFirst().orElseThrow().fire();
            return null;
        });
        String text = Await.value("the About box is shown", WAIT, () -> fx(() -> javafx.stage.Window.getWindows().stream()
                .filter(w -> w != stage && w.getScene() != null)
                .map(w -> w.getScene().getRoot().lookup(".dialog-pane"))
                .filter(n -> n instanceof javafx.scene.control.DialogPane)
                .map(n -> ((javafx.scene.control.DialogPane) n).getContentText()).findFirst().orElse("")), t -> !t.isEmpty());
        assertTrue(text.startsWith("Containment: " + engine.containment().describe()), text);
        fx(() -> {
            javafx.stage.Window.getWindows().stream().filter(w -> w != stage).toList().forEach(javafx.stage.Window::hide);
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.statuses().forEach(s -> {
            if (s.pid() != null) {
                pids.add(s.pid());
            }
        });
        WaitForAsyncUtils.asyncFx(window::close).get();
        engine.stopAll().get(30, TimeUnit.SECONDS);
        engine.close();
        Procs.killAll(pids);
    }

    private static void click(FxRobot robot, String query) {
        Fx.click(robot, () -> robot.lookup(query).query());
    }

    private BadgeKind badgeKind(FxRobot robot, String id) {
        return fx(() -> robot.lookup("#badge-" + id).queryAs(BadgeView.class).viewModel().kindProperty().get());
    }

    private boolean hasStyle(FxRobot robot, String id, BadgeKind kind) {
        return fx(() -> robot.lookup("#badge-" + id).queryButton().getStyleClass().contains(kind.styleClass()));
    }

    @Test
    void clickingABadgeStartsTheAgentAndClickingAgainStopsIt(FxRobot robot) {
        assertTrue(hasStyle(robot, "db", BadgeKind.STOPPED));
        click(robot, "#badge-db");
        Await.until("the badge turns green", WAIT, () -> hasStyle(robot, "db", BadgeKind.RUNNING));
        long pid = engine.status("db").orElseThrow().pid();
        pids.add(pid);
        assertTrue(Procs.running(pid));
        String text = fx(() -> robot.lookup("#badge-db").queryButton().getText());
        assertTrue(text.contains("Database") && text.contains("running"), text);

        click(robot, "#badge-db");
        Await.until("the badge turns gray", WAIT, () -> hasStyle(robot, "db", BadgeKind.STOPPED));
        assertFalse(Procs.running(pid));
    }

    @Test
    void startAllAndStopAllDriveEveryAgent(FxRobot robot) {
        click(robot, "Start All");
        Await.until("both badges are green", WAIT,
                () -> badgeKind(robot, "db") == BadgeKind.RUNNING && badgeKind(robot, "api") == BadgeKind.RUNNING);
        engine.statuses().forEach(s -> pids.add(s.pid()));
        Await.until("the buttons are enabled again", WAIT,
                () -> !fx(() -> robot.lookup("Start All").queryButton().isDisabled()));
        click(robot, "Stop All");
        Await.until("both badges are gray", WAIT,
                () -> badgeKind(robot, "db") == BadgeKind.STOPPED && badgeKind(robot, "api") == BadgeKind.STOPPED);
        assertTrue(engine.statuses().stream().allMatch(s -> s.state() == AgentState.STOPPED));
        assertTrue(pids.stream().noneMatch(Procs::running));
    }
}
