package dev.agentdeck.ui;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.transfer.ImportRow;
import dev.agentdeck.ui.util.FileChoosers;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import java.util.Optional;

import static dev.agentdeck.testutil.Fx.click;
import static dev.agentdeck.testutil.Fx.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Agents and Groups menus of the real window over a real engine (TestFX on headless Monocle): an import
 * through the preview, and a group started from its menu. A native file chooser cannot be driven, so the
 * window's choosers are replaced by one that returns the test's Procfile.
 */
@ExtendWith(ApplicationExtension.class)
class TransferWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private MainWindow window;
    private final List<Long> pids = new ArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        home = new TestHome(tmp.resolve("home"));
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "db", "command": "sh", "args": ["-c", "sleep 30"], "tags": ["ml"]},
                  {"id": "api", "command": "sh", "args": ["-c", "sleep 30"], "tags": ["ml"]},
                  {"id": "lone", "command": "sh", "args": ["-c", "sleep 30"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
        window = new MainWindow(engine, Platform::runLater, "test workspace");
        window.show(stage, "AgentDeck test");
        stage.requestFocus();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(window::close).get();
        Engines.stopAndClose(engine, pids);
    }

    /** An item of a menu that is showing (menus and their submenus are popup windows of their own). */
    private static Optional<Node> menuItem(FxRobot robot, String text) {
        return Window.getWindows().stream()
                .filter(w -> w instanceof ContextMenu && w.isShowing())
                .flatMap(w -> robot.from(w.getScene().getRoot()).lookup(".label").queryAll().stream())
                .filter(n -> n instanceof Labeled l && text.equals(l.getText()) && n.isVisible())
                .findFirst();
    }

    private static void chooseFromMenu(FxRobot robot, String text) {
        Await.until("the menu shows \"" + text + "\"", WAIT, () -> fx(() -> menuItem(robot, text).isPresent()));
        click(robot, () -> menuItem(robot, text).orElseThrow());
    }

    private static FileChoosers fixed(Path file) {
        return new FileChoosers() {
            @Override
            public Path openFile(Window owner, String title) {
                return file;
            }

            @Override
            public Path chooseFolder(Window owner, String title) {
                return null;
            }
        };
    }

    @Test
    void importFromTheAgentsMenuPreviewsTheProcfileAndAddsItsAgentsOnlyOnImport(FxRobot robot) {
        Path procfile = tmp.resolve("Procfile");
        TestHome.write(procfile, "web: sleep 30\nworker: sleep 30\n");
        fx(() -> {
            window.windows().setChoosers(fixed(procfile));
            return null;
        });
        String before = home.read("agents.json");

        click(robot, () -> robot.lookup("#agentsMenu").query());
        chooseFromMenu(robot, "Import\u2026");
        Stage preview = Await.value("the preview opens", WAIT, () -> fx(() -> window.windows().dialogs()),
                d -> d.size() == 1).get(0);
        @SuppressWarnings("unchecked")
        TableView<ImportRow> table = fx(() -> (TableView<ImportRow>) preview.getScene().lookup("#importAgents"));
        Await.until("the preview lists the Procfile's agents", WAIT, () -> fx(() -> table.getItems().stream()
                .map(ImportRow::id).toList()).equals(List.of("web", "worker")));
        assertEquals(before, home.read("agents.json"), "nothing is added before Import");

        click(robot, () -> preview.getScene().lookup("#importButton"));

        Await.until("the preview closes", WAIT, () -> !fx(preview::isShowing));
        Await.until("the new agents have rows", WAIT, () -> fx(() -> window.viewModel().rows().stream()
                .map(AgentRowViewModel::id).toList()).containsAll(List.of("web", "worker")));
        Await.until("the first one is selected", WAIT, () -> fx(() -> {
            AgentRowViewModel selected = window.viewModel().selectedProperty().get();
            return selected != null && selected.id().equals("web");
        }));
        assertTrue(home.read("agents.json").contains("\"worker\""), home.read("agents.json"));
    }

    @Test
    void theGroupsMenuStartsEveryAgentOfATag(FxRobot robot) {
        click(robot, () -> robot.lookup("#groupsMenu").query());
        chooseFromMenu(robot, "Group \u201cml\u201d");
        chooseFromMenu(robot, "Start");

        Await.until("db and api run", WAIT, () -> engine.status("db").orElseThrow().state() == AgentState.RUNNING
                && engine.status("api").orElseThrow().state() == AgentState.RUNNING);
        engine.statuses().forEach(s -> {
            if (s.pid() != null) {
                pids.add(s.pid());
            }
        });
        assertEquals(AgentState.STOPPED, engine.status("lone").orElseThrow().state(), "untagged agents are left alone");
        Await.until("the status line reports the group", WAIT, () -> fx(() -> window.viewModel().statusTextProperty()
                .get()).equals("Group \u201cml\u201d: 2 agents started"));
    }
}
