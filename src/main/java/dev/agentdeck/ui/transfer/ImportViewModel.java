package dev.agentdeck.ui.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineError;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportNote;
import dev.agentdeck.transfer.ImportProblem;
import dev.agentdeck.transfer.ImportResult;
import dev.agentdeck.transfer.Importers;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The import preview: reads another manager's file off the UI thread, guesses its format (the user may pick
 * another, which reads it again), and shows the agents it would add, the settings not carried over and the
 * problems. Nothing is added until {@link #importAgents()}, which needs agents and either no problem or the
 * user's consent to import the agents that could be read; the engine adds all of them or none.
 */
public final class ImportViewModel {
    private static final long MAX_BYTES = 5L << 20;
    private final ProcessService service;
    private final Executor ui;
    private final Executor background;
    private final Messages msg;
    private final ObjectProperty<ImportFormat> format = new SimpleObjectProperty<>();
    private final BooleanProperty acceptPartial = new SimpleBooleanProperty();
    private final ObservableList<ImportRow> rows = FXCollections.observableArrayList();
    private final ObservableList<ImportRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<ImportNote> notes = FXCollections.observableArrayList();
    private final ObservableList<ImportNote> notesView = FXCollections.unmodifiableObservableList(notes);
    private final ObservableList<ImportProblem> problems = FXCollections.observableArrayList();
    private final ObservableList<ImportProblem> problemsView = FXCollections.unmodifiableObservableList(problems);
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper acceptText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper reading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper importing = new ReadOnlyBooleanWrapper();
    private final BooleanBinding canImport;
    private List<AgentSpec> agents = List.of();
    private String text;
    private boolean settingFormat;
    private long generation;

    /** @param background where files are read and parsed (never the UI thread in the app) */
    public ImportViewModel(ProcessService service, Executor ui, Executor background, Messages msg) {
        this.service = service;
        this.ui = ui;
        this.background = background;
        this.msg = msg;
        canImport = Bindings.createBooleanBinding(() -> !reading.get() && !importing.get() && !rows.isEmpty()
                && (problems.isEmpty() || acceptPartial.get()), reading, importing, rows, problems, acceptPartial);
        format.addListener((o, a, f) -> {
            if (!settingFormat) {
                parse();
            }
        });
    }

    // ---- commands

    /** Reads {@code file} in the background, detects its format and shows what importing it would add. */
    public CompletableFuture<Void> open(Path file) {
        long gen = ++generation;
        reading.set(true);
        source.set(file.toString());
        error.set("");
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (Files.size(file) > MAX_BYTES) {
                    throw new IOException("it is larger than 5 MB, which no agent definition file is");
                }
                return Files.readString(file);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new UncheckedIOException(new IOException("it is not UTF-8 text", e));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, background).thenApplyAsync(t -> new Object[]{t, Importers.detect(name, t)}, background).handleAsync((read, t) -> {
            if (gen != generation) {
                return null;
            }
            if (t != null) {
                reading.set(false);
                Throwable cause = t.getCause() instanceof UncheckedIOException u ? u.getCause() : t;
                show(null, msg.get("import.cannotRead", file, cause instanceof java.nio.file.NoSuchFileException
                        ? "no such file" : cause instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : String.valueOf(cause.getMessage())));
                return null;
            }
            text = (String) read[0];
            settingFormat = true;
            format.set((ImportFormat) read[1]);
            settingFormat = false;
            parse();
            return null;
        }, ui);
    }

    /** Reads the file's text again as the chosen format. */
    private CompletableFuture<Void> parse() {
        long gen = ++generation;
        ImportFormat f = format.get();
        if (text == null || f == null) {
            reading.set(false);
            show(null, text == null ? "" : msg.get("import.chooseFormat"));
            return CompletableFuture.completedFuture(null);
        }
        reading.set(true);
        String src = source.get();
        String t = text;
        java.nio.file.Path folder = java.nio.file.Path.of(src).toAbsolutePath().getParent();
        return CompletableFuture.supplyAsync(() -> Importers.read(f, t, src).relativeTo(folder), background).handleAsync((r, e) -> {
            if (gen == generation) {
                reading.set(false);
                show(r, e == null ? "" : EngineException.of(e).message());
            }
            return null;
        }, ui);
    }

    private void show(ImportResult r, String problem) {
        acceptPartial.set(false);
        agents = r == null ? List.of() : r.agents();
        rows.setAll(agents.stream().map(ImportRow::of).toList());
        notes.setAll(r == null ? List.of() : r.notCarried());
        problems.setAll(r == null ? List.of() : r.problems());
        acceptText.set(msg.get("import.acceptAnyway", agents.size()));
        status.set(r != null ? msg.get("import.found", agents.size(), r.problems().size(), r.notCarried().size())
                : problem);
    }

    /**
     * Adds the agents read through the engine, in one save. A refusal (an id already taken, ...) is shown with
     * its details and nothing is added; the preview stays so the user can see why.
     */
    public CompletableFuture<List<AgentSpec>> importAgents() {
        if (!canImport.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("nothing to import, or problems not accepted"));
        }
        importing.set(true);
        error.set("");
        return service.addAgents(agents).whenCompleteAsync((added, t) -> {
            importing.set(false);
            if (t != null) {
                EngineError e = EngineException.of(t);
                List<String> lines = new ArrayList<>();
                lines.add(e.message());
                lines.addAll(e.details());
                error.set(String.join("\n", lines));
            } else {
                status.set(msg.get("import.done", added.size()));
            }
        }, ui);
    }

    // ---- state

    /** The format the file is read as (input: the user may change it, which reads the file again); null = unknown. */
    public ObjectProperty<ImportFormat> formatProperty() {
        return format;
    }

    /** The user's consent to import the agents that could be read although the file has problems (input). */
    public BooleanProperty acceptPartialProperty() {
        return acceptPartial;
    }

    public ObservableList<ImportRow> rows() {
        return rowsView;
    }

    public ObservableList<ImportNote> notes() {
        return notesView;
    }

    public ObservableList<ImportProblem> problems() {
        return problemsView;
    }

    /** The agents importing would add, as read. */
    public List<AgentSpec> agents() {
        return agents;
    }

    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** What was found ("3 agents, 1 problem"), or why nothing could be read. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The engine's refusal of the last import with its details, or empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** "Import the N agents that could be read anyway". */
    public ReadOnlyStringProperty acceptTextProperty() {
        return acceptText.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty readingProperty() {
        return reading.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty importingProperty() {
        return importing.getReadOnlyProperty();
    }

    public BooleanBinding canImportProperty() {
        return canImport;
    }
}
