package dev.agentdeck.ui.editor;

import dev.agentdeck.core.Secrets;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One environment variable in the editor, masked by {@link Secrets}' one rule: a secret name's value is shown in
 * a password field ({@link #secretProperty()}); a URL password in any other variable is shown as the mask in
 * the text ({@code postgres://app:********@db/app}) and kept as long as the mask stays where it is, so the host
 * or database can be edited without seeing or retyping it. {@link #value()} is the value to save.
 */
public final class EnvRow {
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty value = new SimpleStringProperty("");
    private final BooleanBinding secret = Bindings.createBooleanBinding(() -> Secrets.isSecret(name.get()), name);
    /** The value the shown text stands for where it holds the mask; null when the text is all there is. */
    private String hidden;

    public EnvRow(String name, String value) {
        this.name.set(name);
        this.value.set(value);
        hide();
    }

    public StringProperty nameProperty() {
        return name;
    }

    /** The text the value field shows and edits: URL passwords masked unless revealed. */
    public StringProperty valueProperty() {
        return value;
    }

    /** Whether the whole value is shown masked, by its name ({@link Secrets#isSecret}). */
    public BooleanBinding secretProperty() {
        return secret;
    }

    /** The value to save: the text, with the masks it still holds standing for what they hide. */
    public String value() {
        return hidden == null ? value.get() : Secrets.unmask(value.get(), hidden);
    }

    /** Shows the URL passwords in clear ({@code true}) or masked again. */
    public void reveal(boolean show) {
        if (show) {
            if (hidden != null) {
                String real = value();
                hidden = null;
                value.set(real);
            }
        } else {
            hide();
        }
    }

    private void hide() {
        String real = value();
        String masked = real == null ? null : Secrets.mask("", real);
        if (masked != null && !masked.equals(real)) {
            hidden = real;
            value.set(masked);
        }
    }
}
