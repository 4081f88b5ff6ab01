package dev.agentdeck.ui.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.Templates;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * "New from template": the built-in and the user's templates (and the problems of template files that could
 * not be read), one chosen, and the id of the new agent. {@link #spec()} makes the agent the editor then opens
 * with, as a new agent the user can adjust before saving.
 */
public final class NewFromTemplateViewModel {
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final ObservableList<Templates.Template> templates = FXCollections.observableArrayList();
    private final ObservableList<Templates.Template> templatesView = FXCollections.unmodifiableObservableList(templates);
    private final ObjectProperty<Templates.Template> selected = new SimpleObjectProperty<>();
    private final StringProperty id = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper idError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problems = new ReadOnlyStringWrapper("");
    private final BooleanBinding canCreate;
    private final Set<String> takenIds;
    private String suggested = "";

    public NewFromTemplateViewModel(ProcessService service, Executor ui, Messages msg) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.takenIds = service.agents().stream().map(AgentSpec::id).collect(Collectors.toSet());
        selected.addListener((o, a, t) -> {
            if (t != null && (id.get().isBlank() || id.get().equals(suggested))) {
                suggested = freeId(t.id());
                id.set(suggested);
            }
        });
        id.addListener((o, a, v) -> checkId());
        checkId();
        canCreate = Bindings.createBooleanBinding(() -> selected.get() != null && idError.get().isEmpty(), selected, idError);
    }

    /** Asks the engine for the templates (read off the UI thread there). */
    public CompletableFuture<Templates.Loaded> load() {
        return service.templates().whenCompleteAsync((loaded, t) -> {
            if (t != null) {
                problems.set(EngineException.of(t).message());
                return;
            }
            templates.setAll(loaded.templates());
            problems.set(loaded.problems().isEmpty() ? "" : msg.get("templates.problems", loaded.problems().size())
                    + "\n" + loaded.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
        }, ui);
    }

    private String freeId(String base) {
        String candidate = base;
        for (int n = 2; takenIds.contains(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    private void checkId() {
        String v = id.get().trim();
        if (v.isEmpty()) {
            idError.set(msg.get("editor.idRequired"));
        } else if (!SpecValidator.ID.matcher(v).matches()) {
            idError.set(msg.get("templates.badId", v));
        } else if (takenIds.contains(v)) {
            idError.set(msg.get("editor.idTaken", v));
        } else {
            idError.set("");
        }
    }

    /** The new agent: the chosen template's agent with the id; null (and the reason shown) when it cannot be made. */
    public AgentSpec spec() {
        Templates.Template t = selected.get();
        if (t == null || !canCreate.get()) {
            return null;
        }
        ObjectNode node = t.agent().deepCopy();
        node.put("id", id.get().trim());
        try {
            return ConfigReader.readOne(node, msg.get("templates.where", t.name()));
        } catch (ConfigException e) {
            idError.set(e.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
            return null;
        }
    }

    /** "built-in" or "yours", for the list. */
    public String origin(Templates.Template t) {
        return msg.get(t.builtIn() ? "templates.builtIn" : "templates.yours");
    }

    public ObservableList<Templates.Template> templates() {
        return templatesView;
    }

    /** The chosen template (input). */
    public ObjectProperty<Templates.Template> selectedProperty() {
        return selected;
    }

    /** The new agent's id (input); a free id from the template's is suggested when one is chosen. */
    public StringProperty idProperty() {
        return id;
    }

    /** Why the id cannot be used, or empty. */
    public ReadOnlyStringProperty idErrorProperty() {
        return idError.getReadOnlyProperty();
    }

    /** The problems of template files that could not be read, or empty. */
    public ReadOnlyStringProperty problemsProperty() {
        return problems.getReadOnlyProperty();
    }

    public BooleanBinding canCreateProperty() {
        return canCreate;
    }
}
