package dev.agentdeck.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.editor.AgentEditorWindow;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.agentdeck.testutil.Fx.click;
import static dev.agentdeck.testutil.Fx.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent editor in the real window over a real engine: typed into, refused, fixed and saved to agents.json. */
@ExtendWith(ApplicationExtension.class)
class EditorWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        home = new TestHome(tmp);
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "db", "name": "Database", "command": "sleep", "args": ["300"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
        window = new MainWindow(engine, Platform::runLater, "test workspace");
        window.show(stage, "AgentDeck test");
        stage.requestFocus();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(window::close).get();
        engine.stopAll().get(30, TimeUnit.SECONDS);
        engine.close();
    }

    private static Node in(FxRobot robot, AgentEditorWindow editor, String query) {
        return robot.from(editor.stage().getScene().getRoot()).lookup(query).query();
    }

    private static Node tab(FxRobot robot, AgentEditorWindow editor, String text) {
        return robot.from(editor.stage().getScene().getRoot()).lookup(".tab-label")
                .match(n -> n instanceof Labeled l && text.equals(l.getText())).query();
    }

    /** Types into a field as a user does: click it, select what is there, type over it. */
    private static void type(FxRobot robot, AgentEditorWindow editor, String field, String text) {
        click(robot, () -> in(robot, editor, "#field-" + field));
        fx(() -> {
            // Monocle sends keys to the focused window; a click does not move the focus between stages there
            editor.stage().requestFocus();
            TextField t = (TextField) in(robot, editor, "#field-" + field);
            t.requestFocus();
            t.selectAll();
            return null;
        });
        robot.targetWindow(editor.stage()); // TestFX types into its target window, the main stage by default
        robot.write(text);
        Await.until(field + " shows what was typed", WAIT,
                () -> fx(() -> ((TextField) in(robot, editor, "#field-" + field)).getText()).equals(text));
    }

    private JsonNode agentsJson() throws Exception {
        return new ObjectMapper().readTree(home.read("agents.json"));
    }

    @Test
    void theEditorRejectsAMissingCwdWithItsMessageAndSavesTheFixedAgentToAgentsJson(FxRobot robot) throws Exception {
        String before = home.read("agents.json");
        click(robot, () -> robot.lookup("Add Agent\u2026").query());
        AgentEditorWindow editor = Await.value("the editor opens", WAIT, () -> fx(() -> window.windows().editors()),
                e -> e.size() == 1).get(0);
        assertEquals("Add agent", fx(() -> editor.stage().getTitle()));
        type(robot, editor, "id", "worker");
        click(robot, () -> tab(robot, editor, "Command"));
        type(robot, editor, "command", "sleep");
        type(robot, editor, "args", "300");
        String missing = tmp.resolve("no-such-dir").toString();
        type(robot, editor, "cwd", missing);

        Await.until("the cwd error shows under the field", WAIT, () -> fx(() -> {
            Label error = editor.view().errorLabel("cwd");
            return error.isVisible() && error.getText().contains("\"" + missing + "\" does not exist");
        }));
        assertTrue(fx(() -> editor.view().saveButton().isDisabled()), "Save is disabled while the cwd is wrong");
        assertEquals(before, home.read("agents.json"), "nothing was written");

        type(robot, editor, "cwd", tmp.toString());
        Await.until("the error goes and Save is enabled", WAIT, () -> fx(() ->
                !editor.view().errorLabel("cwd").isVisible() && !editor.view().saveButton().isDisabled()));
        click(robot, () -> editor.view().saveButton());
        Await.until("the editor closes after saving", WAIT, () -> !fx(() -> editor.stage().isShowing()));

        JsonNode agents = agentsJson().get("agents");
        assertEquals(2, agents.size());
        JsonNode worker = agents.get(1);
        assertEquals("worker", worker.get("id").asText());
        assertEquals("sleep", worker.get("command").asText());
        assertEquals("300", worker.get("args").get(0).asText());
        assertEquals(tmp.toString(), worker.get("cwd").asText());
        Await.until("the new agent is in the table", WAIT, () -> fx(() -> window.viewModel().rows().stream()
                .anyMatch(r -> r.id().equals("worker"))));
    }

    @Test
    void editingAnAgentsNameSavesIt(FxRobot robot) throws Exception {
        fx(() -> {
            window.windows().openEditor(AgentWindows.EditorMode.EDIT, engine.agents().get(0));
            return null;
        });
        AgentEditorWindow editor = Await.value("the editor opens", WAIT, () -> fx(() -> window.windows().editors()),
                e -> e.size() == 1).get(0);
        assertEquals("Edit Database", fx(() -> editor.stage().getTitle()));
        assertTrue(fx(() -> in(robot, editor, "#field-id").isDisabled()), "the id of a saved agent cannot change");
        type(robot, editor, "name", "Main database");
        Await.until("Save is enabled", WAIT, () -> !fx(() -> editor.view().saveButton().isDisabled()));
        click(robot, () -> editor.view().saveButton());
        Await.until("the editor closes after saving", WAIT, () -> !fx(() -> editor.stage().isShowing()));
        assertEquals("Main database", agentsJson().get("agents").get(0).get("name").asText());
        assertEquals(List.of("Main database"), engine.agents().stream().map(a -> a.name()).toList());
    }

    @Test
    void removeAsksFirstThenRemovesTheAgentFromAgentsJson(FxRobot robot) throws Exception {
        fx(() -> {
            window.windows().openEditor(AgentWindows.EditorMode.EDIT, engine.agents().get(0));
            return null;
        });
        AgentEditorWindow editor = Await.value("the editor opens", WAIT, () -> fx(() -> window.windows().editors()),
                e -> e.size() == 1).get(0);
        click(robot, () -> robot.from(editor.stage().getScene().getRoot()).lookup("#removeButton").query());
        DialogPane confirm = Await.value("the confirmation shows", WAIT, () -> fx(() -> Window.getWindows().stream()
                        .filter(w -> w.getScene() != null && w.getScene().getRoot() instanceof DialogPane)
                        .map(w -> (DialogPane) w.getScene().getRoot()).findFirst()),
                Optional::isPresent).orElseThrow();
        assertTrue(fx(confirm::getContentText).contains("Remove Database from the workspace?"),
                fx(confirm::getContentText));
        click(robot, () -> confirm.lookupButton(ButtonType.OK));
        Await.until("the editor closes after removing", WAIT, () -> !fx(() -> editor.stage().isShowing()));
        assertEquals(0, agentsJson().get("agents").size());
        assertEquals(List.of(), engine.agents());
    }
}
