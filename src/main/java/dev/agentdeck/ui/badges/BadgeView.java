package dev.agentdeck.ui.badges;

import dev.agentdeck.ui.util.Messages;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/** The badge of one agent: a button bound to its row's ViewModel; click toggles, right-click offers more. */
public final class BadgeView extends Button {
    private final AgentRowViewModel vm;

    public BadgeView(AgentRowViewModel vm, Messages msg) {
        this.vm = vm;
        setId("badge-" + vm.id());
        getStyleClass().add("badge");
        Label glyph = new Label();
        glyph.getStyleClass().add("badge-glyph");
        glyph.textProperty().bind(vm.kindProperty().map(BadgeKind::glyph));
        setGraphic(glyph);
        textProperty().bind(vm.badgeTextProperty());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(vm.tooltipProperty());
        tip.setShowDelay(Duration.millis(300));
        setTooltip(tip);
        setOnAction(e -> vm.toggle());
        setContextMenu(menu(msg));
        applyKind(vm.kindProperty().get());
        vm.kindProperty().addListener((o, old, k) -> applyKind(k));
    }

    public AgentRowViewModel viewModel() {
        return vm;
    }

    private void applyKind(BadgeKind kind) {
        for (BadgeKind k : BadgeKind.values()) {
            getStyleClass().remove(k.styleClass());
        }
        getStyleClass().add(kind.styleClass());
    }

    private ContextMenu menu(Messages msg) {
        MenuItem start = new MenuItem(msg.get("menu.start"));
        start.setOnAction(e -> vm.start());
        MenuItem stop = new MenuItem(msg.get("menu.stop"));
        stop.setOnAction(e -> vm.stop());
        MenuItem restart = new MenuItem(msg.get("menu.restart"));
        restart.setOnAction(e -> vm.restart());
        MenuItem kill = new MenuItem(msg.get("menu.kill"));
        kill.setOnAction(e -> vm.kill());
        return new ContextMenu(start, stop, restart, kill);
    }
}
