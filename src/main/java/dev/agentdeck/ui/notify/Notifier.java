package dev.agentdeck.ui.notify;

import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** Shows notices as ControlsFX pop-ups at the window's bottom right. Call on the FX thread. */
public final class Notifier {
    private final Window owner;

    public Notifier(Window owner) {
        this.owner = owner;
    }

    public void show(Notice n) {
        Notifications note = Notifications.create().owner(owner).title(n.title()).text(n.text())
                .position(Pos.BOTTOM_RIGHT).hideAfter(Duration.seconds(8));
        if (n.error()) {
            note.showError();
        } else {
            note.showWarning();
        }
    }
}
