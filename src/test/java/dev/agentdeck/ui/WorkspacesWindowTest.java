package dev.agentdeck.ui;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Fx;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.badges.BadgeKind;
import dev.agentdeck.ui.badges.BadgeView;
import dev.agentdeck.ui.notify.Notice;
import dev.agentdeck.ui.workspaces.WorkspaceItem;
import dev.agentdeck.ui.workspaces.WorkspaceSidebar;
import javafx.application.Platform;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.agentdeck.testutil.Fx.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two project homes side by side in the real window, each with an agent called "web": they never meet. */
@ExtendWith(ApplicationExtension.class)
class WorkspacesWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String AGENTS = """
            {"version": 1, "agents": [{"id": "web", "name": "Web", "command": "sleep", "args": ["300"]}]}
            """;
    @TempDir
    Path tmp;
    private LocalEngine shop;
    private LocalEngine blog;
    private MainWindow window;
    private final List<Long> pids = new ArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        shop = LocalEngine.open(new TestHome(Files.createDirectories(tmp.resolve("shop"))).agentsJson(AGENTS).workspace());
        blog = LocalEngine.open(new TestHome(Files.createDirectories(tmp.resolve("blog"))).agentsJson(AGENTS).workspace());
        window = new MainWindow(List.of(
                new MainWindow.WorkspaceRef("shop", tmp.resolve("shop").toString(), "shop", shop),
                new MainWindow.WorkspaceRef("blog", tmp.resolve("blog").toString(), "blog", blog)),
                Platform::runLater, dev.agentdeck.ui.util.PanelSettings.DEFAULT.withTheme("light"), false,
                WorkspaceSidebar.Actions.NONE);
        window.show(stage, "AgentDeck test");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (LocalEngine e : List.of(shop, blog)) {
            e.statuses().forEach(s -> {
                if (s.pid() != null) {
                    pids.add(s.pid());
                }
            });
        }
        WaitForAsyncUtils.asyncFx(window::close).get();
        for (LocalEngine e : List.of(shop, blog)) {
            e.stopAll().get(30, TimeUnit.SECONDS);
            e.close();
        }
        Procs.killAll(pids);
    }

    private BadgeKind badge(FxRobot robot) {
        return fx(() -> robot.lookup("#badge-web").queryAs(BadgeView.class).viewModel().kindProperty().get());
    }

    @Test
    void twoHomesWithTheSameAgentIdAreShownAndDrivenApart(FxRobot robot) throws Exception {
        ListView<?> list = fx(() -> robot.lookup("#workspaceList").queryAs(ListView.class));
        assertTrue(fx(list::isVisible), "the sidebar shows when there are two workspaces");
        assertEquals(List.of("shop", "blog"), fx(() -> window.workspaces().stream().map(WorkspaceItem::name).toList()));

        Fx.click(robot, () -> robot.lookup("#badge-web").query());
        Await.until("shop's web runs", WAIT, () -> shop.status("web").orElseThrow().state() == AgentState.RUNNING);
        long shopPid = shop.status("web").orElseThrow().pid();
        pids.add(shopPid);
        assertEquals(AgentState.STOPPED, blog.status("web").orElseThrow().state(), "blog's web is another agent");
        Await.until("shop's badge is green", WAIT, () -> badge(robot) == BadgeKind.RUNNING);

        Fx.click(robot, () -> robot.lookup("#workspaceList .list-cell").nth(1).query());
        Await.until("the window shows blog", WAIT, () -> fx(() -> window.viewModel().workspaceTextProperty().get()).equals("blog"));
        assertEquals(BadgeKind.STOPPED, badge(robot), "blog's web is stopped");
        Fx.click(robot, () -> robot.lookup("#badge-web").query());
        Await.until("blog's web runs", WAIT, () -> blog.status("web").orElseThrow().state() == AgentState.RUNNING);
        long blogPid = blog.status("web").orElseThrow().pid();
        pids.add(blogPid);
        assertNotEquals(shopPid, blogPid);
        assertEquals(shopPid, shop.status("web").orElseThrow().pid(), "shop's web was not touched");

        Await.until("the sidebar counts each home's running agents", WAIT, () -> fx(() -> window.workspaces().stream()
                .allMatch(w -> w.countsProperty().get().startsWith("1 of 1 running"))));
        // the state is read at once; the activity comes with the start's event, a moment later
        Await.until("the sidebar shows blog's last activity", WAIT,
                () -> fx(() -> window.workspaces().get(1).activityProperty().get()).startsWith("last activity"));
        assertEquals("blog: Web crashed", new Notice("Web crashed", "exit 1", true).in("blog").title());
    }

    @Test
    void anAgentThatAppearsLaterGetsItsBadgeEvenAfterAGarbageCollection(FxRobot robot) throws Exception {
        System.gc(); // the badge bar must not hang on something the collector may take
        shop.addAgent(dev.agentdeck.core.AgentSpec.of("late", "sleep", List.of("300"))).get(10, TimeUnit.SECONDS);
        Await.until("the late agent has a badge", WAIT, () -> fx(() -> robot.lookup("#badge-late").tryQuery().isPresent()));
    }
}
