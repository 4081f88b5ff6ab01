package dev.agentdeck.ui.transfer;

import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ExportFormat;
import dev.agentdeck.ui.util.Messages;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The export dialog: a format, the agents (the selected ones or all), a target folder and a preview of the
 * files the engine writes for them. Writing happens off the UI thread, each file whole or not at all (a temp
 * file moved over the target), and never over an existing file unless the user said so.
 */
public final class ExportViewModel {
    /** Which agents are exported. */
    public enum Scope { SELECTED, ALL }

    /** What a write did: the files written, or (nothing written) the existing files it would replace. */
    public record Outcome(List<Path> written, List<String> existing) {
    }

    private final ProcessService service;
    private final Executor ui;
    private final Executor background;
    private final Messages msg;
    private final List<String> selectedIds;
    private final ObjectProperty<ExportFormat> format = new SimpleObjectProperty<>(ExportFormat.values()[0]);
    private final ObjectProperty<Scope> scope;
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>();
    private final ObservableList<ExportFile> files = FXCollections.observableArrayList();
    private final ObservableList<ExportFile> filesView = FXCollections.unmodifiableObservableList(files);
    private final ReadOnlyStringWrapper preview = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final BooleanBinding canExport;
    private long generation;

    /** @param selectedIds the agents selected in the table (may be empty: then all agents are exported) */
    public ExportViewModel(ProcessService service, Executor ui, Executor background, Messages msg,
                           List<String> selectedIds) {
        this.service = service;
        this.ui = ui;
        this.background = background;
        this.msg = msg;
        this.selectedIds = List.copyOf(selectedIds);
        this.scope = new SimpleObjectProperty<>(selectedIds.isEmpty() ? Scope.ALL : Scope.SELECTED);
        canExport = Bindings.createBooleanBinding(() -> folder.get() != null && !files.isEmpty() && !busy.get(),
                folder, files, busy);
        format.addListener(o -> refresh());
        scope.addListener(o -> refresh());
    }

    /** Asks the engine for the files of the chosen format and agents, for the preview. */
    public CompletableFuture<List<ExportFile>> refresh() {
        long gen = ++generation;
        List<String> ids = scope.get() == Scope.SELECTED ? selectedIds : List.of();
        return service.exportAs(format.get(), ids).whenCompleteAsync((out, t) -> {
            if (gen != generation) {
                return;
            }
            files.setAll(t == null ? out : List.of());
            preview.set(t == null && !out.isEmpty() ? out.get(0).content() : "");
            status.set(t == null ? msg.get("export.preview.count", out.size()) : EngineException.of(t).message());
        }, ui);
    }

    /**
     * Writes the previewed files into the folder, off the UI thread. Without {@code overwrite}, nothing is written
     * when any of them exists already: the outcome names them, so the user can be asked.
     */
    public CompletableFuture<Outcome> write(boolean overwrite) {
        if (!canExport.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("choose a folder and a format first"));
        }
        Path dir = folder.get().toAbsolutePath().normalize();
        List<ExportFile> toWrite = List.copyOf(files);
        busy.set(true);
        return CompletableFuture.supplyAsync(() -> writeFiles(dir, toWrite, overwrite), background)
                .whenCompleteAsync((outcome, t) -> {
                    busy.set(false);
                    if (t != null) {
                        Throwable cause = t.getCause() instanceof UncheckedIOException u ? u.getCause() : t;
                        status.set(msg.get("export.failed", String.valueOf(cause.getMessage())));
                    } else if (outcome.written().isEmpty()) {
                        status.set(msg.get("export.exists", String.join(", ", outcome.existing())));
                    } else {
                        status.set(msg.get("export.written", outcome.written().size(), dir,
                                String.join(", ", toWrite.stream().map(ExportFile::name).toList())));
                    }
                }, ui);
    }

    private static Outcome writeFiles(Path dir, List<ExportFile> files, boolean overwrite) {
        List<Path> targets = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (ExportFile f : files) {
            Path target = dir.resolve(f.name()).normalize();
            if (!dir.equals(target.getParent())) {
                throw new IllegalArgumentException("\"" + f.name() + "\" is not a plain file name");
            }
            targets.add(target);
            if (Files.exists(target)) {
                existing.add(f.name());
            }
        }
        if (!existing.isEmpty() && !overwrite) {
            return new Outcome(List.of(), existing);
        }
        try {
            for (int i = 0; i < files.size(); i++) {
                AtomicFiles.write(targets.get(i), files.get(i).content().getBytes(StandardCharsets.UTF_8), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Outcome(targets, existing);
    }

    // ---- state

    /** The format to write (input). */
    public ObjectProperty<ExportFormat> formatProperty() {
        return format;
    }

    /** Which agents (input); SELECTED with no selection exports nothing but is not offered then. */
    public ObjectProperty<Scope> scopeProperty() {
        return scope;
    }

    /** Whether some agents were selected when the dialog opened. */
    public boolean hasSelection() {
        return !selectedIds.isEmpty();
    }

    /** The folder to write into (input, from a folder chooser). */
    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    /** The files the export writes, in order. */
    public ObservableList<ExportFile> files() {
        return filesView;
    }

    /** The first file's text. */
    public ReadOnlyStringProperty previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** What the dialog last did or found: the preview's count, the files written, or what went wrong. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }
}
