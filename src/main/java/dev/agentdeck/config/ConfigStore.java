package dev.agentdeck.config;

import dev.agentdeck.core.Problem;
import dev.agentdeck.core.SpecValidator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and saves agents.json. Saving validates first, refuses to overwrite a file that changed on disk
 * since it was loaded (an editor's unsaved work, or a file that does not parse), keeps the previous
 * version as agents.json.bak, and replaces the file atomically. A refused save writes nothing.
 */
public final class ConfigStore {
    private final Path file;

    /** A loaded config with the stamp of the bytes it came from. */
    public record Loaded(WorkspaceConfig config, FileStamp stamp) {
    }

    public ConfigStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public Path backupFile() {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    /** Reads and validates the file; a missing file is an empty config. */
    public Loaded load() throws ConfigException {
        byte[] bytes = readOrNull();
        if (bytes == null) {
            return new Loaded(WorkspaceConfig.EMPTY, FileStamp.ABSENT);
        }
        return new Loaded(ConfigReader.read(bytes, file.getFileName().toString()), FileStamp.of(bytes));
    }

    /** The stamp of what is on disk now. */
    public FileStamp currentStamp() throws ConfigException {
        byte[] bytes = readOrNull();
        return bytes == null ? FileStamp.ABSENT : FileStamp.of(bytes);
    }

    /**
     * Saves {@code config} if it is valid and the file on disk is still the one stamped {@code expected}.
     *
     * @return the stamp of the written file
     */
    public synchronized FileStamp save(WorkspaceConfig config, FileStamp expected) throws ConfigException, IOException {
        String name = file.getFileName().toString();
        List<Problem> problems = SpecValidator.validate(config.agents());
        if (!problems.isEmpty()) {
            throw new ConfigException("refused to save " + name + ": " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + "; nothing was written", problems);
        }
        byte[] bytes = ConfigWriter.write(config);
        byte[] current = readOrNull();
        FileStamp now = current == null ? FileStamp.ABSENT : FileStamp.of(current);
        if (!now.equals(expected)) {
            throw new ConfigException("refused to save " + name + ": it changed on disk since it was loaded; "
                    + "nothing was written", List.of(new Problem(file.toString(),
                    "reload the file (or undo the outside edit) and try again")));
        }
        if (current != null) {
            AtomicFiles.write(backupFile(), current, true);
        }
        AtomicFiles.write(file, bytes, true);
        return FileStamp.of(bytes);
    }

    private byte[] readOrNull() throws ConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigException(file + " could not be read",
                    List.of(new Problem(file.toString(), String.valueOf(e.getMessage()))));
        }
    }
}
