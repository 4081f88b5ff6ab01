package dev.agentdeck.ui.templates;

import dev.agentdeck.config.Templates;
import dev.agentdeck.core.EngineError;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.process.ProcessService;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * "Save as template": the template's id, name and description for one agent's definition; saving goes through
 * the engine, and a refusal (a bad id, a file that cannot be written) is shown where the user typed.
 */
public final class SaveTemplateViewModel {
    private final ProcessService service;
    private final Executor ui;
    private final String agentId;
    private final StringProperty id = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty description = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    /** @param agentId the agent (or instance: its definition is saved) the template is made from */
    public SaveTemplateViewModel(ProcessService service, Executor ui, String agentId, String definitionId, String agentName) {
        this.service = service;
        this.ui = ui;
        this.agentId = agentId;
        id.set(definitionId);
        name.set(agentName);
    }

    /** Saves the template; fails (and shows why) when the engine refuses. */
    public CompletableFuture<Templates.Template> save() {
        error.set("");
        return service.saveTemplate(agentId, id.get().trim(), name.get().trim(), description.get().trim())
                .whenCompleteAsync((t, x) -> {
                    if (x != null) {
                        EngineError e = EngineException.of(x);
                        List<String> lines = new ArrayList<>();
                        lines.add(e.message());
                        lines.addAll(e.details());
                        error.set(String.join("\n", lines));
                    }
                }, ui);
    }

    public StringProperty idProperty() {
        return id;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty descriptionProperty() {
        return description;
    }

    /** The engine's refusal of the last save, or empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
