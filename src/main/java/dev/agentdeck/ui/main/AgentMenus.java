package dev.agentdeck.ui.main;

import dev.agentdeck.process.GroupAction;
import dev.agentdeck.ui.AgentWindows;
import dev.agentdeck.ui.AgentWindows.EditorMode;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.util.Messages;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The main window's agent menus: the context menu of table rows and badges (commands, windows, scaling,
 * templates, and the groups of the agents' tags) and the toolbar's Groups menu, one entry per tag in use.
 */
final class AgentMenus {
    private final MainViewModel vm;
    private final Messages msg;
    private final AgentWindows windows;
    private final Consumer<List<AgentRowViewModel>> remove;

    /** @param remove asks, then removes the agents */
    AgentMenus(MainViewModel vm, Messages msg, AgentWindows windows, Consumer<List<AgentRowViewModel>> remove) {
        this.vm = vm;
        this.msg = msg;
        this.windows = windows;
        this.remove = remove;
    }

    /** The commands for some agents: the table's selection, or one badge's agent. */
    ContextMenu rowMenu(Supplier<List<AgentRowViewModel>> targets) {
        List<MenuItem> forOne = List.of(
                item("menu.edit", () -> single(targets).ifPresent(r -> windows.openEditor(EditorMode.EDIT, r.spec()))),
                item("menu.duplicate", () -> single(targets).ifPresent(r -> windows.openEditor(EditorMode.DUPLICATE, r.spec()))),
                item("menu.scale", () -> single(targets).ifPresent(windows::openScale)),
                item("menu.saveTemplate", () -> single(targets).ifPresent(windows::openSaveTemplate)));
        ContextMenu menu = new ContextMenu(
                command("menu.start", targets, AgentRowViewModel::start),
                command("menu.stop", targets, AgentRowViewModel::stop),
                command("menu.restart", targets, AgentRowViewModel::restart),
                command("menu.kill", targets, AgentRowViewModel::kill),
                command("menu.pauseResume", targets, AgentRowViewModel::togglePause),
                new SeparatorMenuItem(),
                item("menu.logs", () -> windows.openLogs(targets.get().stream().map(AgentRowViewModel::id).toList())));
        menu.getItems().addAll(forOne);
        menu.getItems().addAll(new SeparatorMenuItem(), item("menu.remove", () -> remove.accept(targets.get())));
        List<MenuItem> groupItems = new ArrayList<>();
        menu.setOnShowing(e -> {
            List<AgentRowViewModel> t = targets.get();
            menu.getItems().removeAll(groupItems);
            groupItems.clear();
            menu.getItems().forEach(i -> i.setDisable(t.isEmpty()));
            forOne.forEach(i -> i.setDisable(t.size() != 1));
            List<String> tags = GroupsViewModel.tagsOf(t);
            if (!tags.isEmpty()) {
                groupItems.add(new SeparatorMenuItem());
                tags.forEach(tag -> groupItems.add(groupMenu(tag)));
                menu.getItems().addAll(groupItems);
            }
        });
        return menu;
    }

    /** Fills the Groups menu anew each time it opens: the tags may have changed since. */
    void groupsMenu(MenuButton button) {
        Runnable fill = () -> {
            List<String> tags = vm.groups().tags();
            if (tags.isEmpty()) {
                MenuItem none = new MenuItem(msg.get("groups.none"));
                none.setDisable(true);
                button.getItems().setAll(none);
            } else {
                button.getItems().setAll(tags.stream().map(this::groupMenu).toList());
            }
        };
        fill.run();
        button.setOnShowing(e -> fill.run());
    }

    /** "Group ‹tag›" with Start, Stop and Restart of every agent tagged so. */
    private Menu groupMenu(String tag) {
        Menu menu = new Menu(msg.get("groups.tag", tag));
        for (GroupAction action : GroupAction.values()) {
            MenuItem i = new MenuItem(msg.get("groups." + action.wireName()));
            i.setOnAction(e -> vm.groups().run(tag, action));
            menu.getItems().add(i);
        }
        return menu;
    }

    private MenuItem command(String key, Supplier<List<AgentRowViewModel>> targets,
                             Function<AgentRowViewModel, CompletableFuture<?>> command) {
        return item(key, () -> vm.each(targets.get(), command));
    }

    private MenuItem item(String key, Runnable action) {
        MenuItem item = new MenuItem(msg.get(key));
        item.setOnAction(e -> action.run());
        return item;
    }

    private static Optional<AgentRowViewModel> single(Supplier<List<AgentRowViewModel>> targets) {
        List<AgentRowViewModel> t = targets.get();
        return t.size() == 1 ? Optional.of(t.get(0)) : Optional.empty();
    }
}
