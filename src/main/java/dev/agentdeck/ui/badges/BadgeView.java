package dev.agentdeck.ui.badges;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/** The badge of one agent: a button bound to its row's ViewModel; click toggles; the main view gives it its context menu. */
public final class BadgeView extends Button {
    private final AgentRowViewModel vm;

    public BadgeView(AgentRowViewModel vm) {
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
}
