package dev.agentdeck.ui.editor;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One environment variable in the editor; its value is masked in the view when the name looks secret. */
public final class EnvRow {
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty value = new SimpleStringProperty("");
    private final BooleanBinding secret = Bindings.createBooleanBinding(() -> isSecret(name.get()), name);

    public EnvRow(String name, String value) {
        this.name.set(name);
        this.value.set(value);
    }

    static boolean isSecret(String name) {
        return dev.agentdeck.core.Secrets.isSecret(name);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty valueProperty() {
        return value;
    }

    /** Whether the value should be shown masked ({@link dev.agentdeck.core.Secrets#isSecret}). */
    public BooleanBinding secretProperty() {
        return secret;
    }
}
