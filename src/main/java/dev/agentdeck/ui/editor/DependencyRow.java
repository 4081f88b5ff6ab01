package dev.agentdeck.ui.editor;

import dev.agentdeck.core.DependencyCondition;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/** Another agent this one may depend on: ticked or not, and on what condition. */
public final class DependencyRow {
    private final String id;
    private final String name;
    private final BooleanProperty chosen = new SimpleBooleanProperty();
    private final ObjectProperty<DependencyCondition> condition = new SimpleObjectProperty<>(DependencyCondition.STARTED);

    public DependencyRow(String id, String name) {
        this.id = id;
        this.name = name;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public BooleanProperty chosenProperty() {
        return chosen;
    }

    public ObjectProperty<DependencyCondition> conditionProperty() {
        return condition;
    }

    @Override
    public String toString() {
        return name.equals(id) ? id : name + " (" + id + ")";
    }
}
