package dev.agentdeck.ui;

import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.logs.LogPaneView;
import dev.agentdeck.ui.logs.LogViewerWindow;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.input.MouseButton;
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

import static dev.agentdeck.testutil.Fx.click;
import static dev.agentdeck.testutil.Fx.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded log pane and the log viewer window, in the real window over a real agent that prints. */
@ExtendWith(ApplicationExtension.class)
class LogWindowsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private LocalEngine engine;
    private MainWindow window;
    private final List<Long> pids = new ArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        TestHome home = new TestHome(tmp);
        home.script("talk", """
                i=0
                while true; do
                  i=$((i+1))
                  echo "INFO hello $i"
                  if [ $((i % 5)) -eq 0 ]; then echo "ERROR trouble $i" >&2; fi
                  sleep 0.1
                done
                """);
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "talker", "name": "Talker", "command": "bin/talk"}]}
                """);
        engine = LocalEngine.open(home.workspace());
        window = new MainWindow(engine, Platform::runLater, "test workspace");
        window.show(stage, "AgentDeck test");
        stage.requestFocus();
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

    private static Node labeled(FxRobot robot, String styleClass, String text) {
        return robot.lookup("." + styleClass).match(n -> n instanceof Labeled l && text.equals(l.getText()) && n.isVisible())
                .query();
    }

    /**
     * Asks a node for its context menu as a right-click does on a desktop: Monocle does not turn a secondary
     * click into a ContextMenuEvent (TestFX/TestFX#645), so the test fires the event the platform would.
     */
    private static void requestContextMenu(Node node) {
        fx(() -> {
            Bounds b = node.localToScreen(node.getBoundsInLocal());
            javafx.event.Event.fireEvent(node, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, b.getWidth() / 2, b.getHeight() / 2,
                    b.getCenterX(), b.getCenterY(), false, null));
            return null;
        });
    }

    /** A label of the context menu that is showing (popups are windows of their own). */
    private static java.util.Optional<Node> menuItem(FxRobot robot, String text) {
        return javafx.stage.Window.getWindows().stream()
                .filter(w -> w instanceof javafx.scene.control.ContextMenu && w.isShowing())
                .flatMap(w -> robot.from(w.getScene().getRoot()).lookup(".label").queryAll().stream())
                .filter(n -> n instanceof Labeled l && text.equals(l.getText()))
                .findFirst();
    }

    private static boolean shows(LogPaneView pane, String text, LogStream stream) {
        return fx(() -> pane.list().getItems().stream().anyMatch(l -> l.stream() == stream && l.text().startsWith(text)));
    }

    private long startTalker() throws Exception {
        long pid = engine.start("talker").get(15, TimeUnit.SECONDS).pid();
        pids.add(pid);
        return pid;
    }

    @Test
    void theDetailAreasLogPaneShowsWhatTheAgentPrintsWithStderrMarked(FxRobot robot) throws Exception {
        startTalker();
        click(robot, () -> labeled(robot, "tab-label", "Logs"), MouseButton.PRIMARY);
        LogPaneView pane = Await.value("the log pane", WAIT, () -> fx(() -> window.windows().embedded()), p -> p != null);
        Await.until("stdout lines appear", WAIT, () -> shows(pane, "INFO hello 3", LogStream.OUT));
        Await.until("a stderr line appears, marked", WAIT, () -> shows(pane, "ERROR trouble 5", LogStream.ERR));
        Await.until("new lines keep coming", WAIT, () -> shows(pane, "INFO hello 12", LogStream.OUT));
        int last = fx(() -> pane.list().getItems().size() - 1);
        LogLine newest = fx(() -> pane.list().getItems().get(last));
        assertTrue(newest.text().contains("hello") || newest.text().contains("trouble"), newest.text());
    }

    @Test
    void theLogViewerOpensFromABadgesMenuAndFollowsTheAgent(FxRobot robot) throws Exception {
        startTalker();
        requestContextMenu(robot.lookup("#badge-talker").query());
        Await.until("the badge's menu shows", WAIT, () -> fx(() -> menuItem(robot, "Open Logs").isPresent()));
        click(robot, () -> menuItem(robot, "Open Logs").orElseThrow(), MouseButton.PRIMARY);
        LogViewerWindow viewer = Await.value("a log viewer", WAIT, () -> fx(() -> window.windows().viewers()),
                v -> v.size() == 1).get(0);
        assertTrue(fx(() -> viewer.stage().isShowing()));
        assertTrue(fx(() -> viewer.stage().getTitle()).contains("Talker"), fx(() -> viewer.stage().getTitle()));
        LogPaneView pane = fx(() -> viewer.views().get(0));
        Await.until("the viewer follows the agent", WAIT, () -> shows(pane, "INFO hello 8", LogStream.OUT));
        assertEquals(1, fx(() -> viewer.views().size()));
    }
}
