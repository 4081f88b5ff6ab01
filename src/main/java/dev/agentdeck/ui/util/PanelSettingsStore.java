package dev.agentdeck.ui.util;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes panel.json (the panel's own state, beside agents.json). A file that does not read is moved
 * aside as panel.json.bad and the defaults are used; it is the panel's memory, not the user's configuration.
 */
public final class PanelSettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(PanelSettingsStore.class);
    private final Path file;

    public PanelSettingsStore(Path file) {
        this.file = file;
    }

    public PanelSettings load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Json.MAPPER.readerFor(PanelSettings.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(bytes);
        } catch (NoSuchFileException e) {
            return PanelSettings.DEFAULT;
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} could not be read ({}); it was moved to {}.bad and the panel starts with its defaults", file,
                    e.getMessage(), file.getFileName());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ignored) {
                // keep the defaults anyway
            }
            return PanelSettings.DEFAULT;
        }
    }

    public void save(PanelSettings s) {
        try {
            AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(s), false);
        } catch (IOException e) {
            LOG.warn("could not save {}: {}", file, e.toString());
        }
    }
}
