package dev.agentdeck.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.Problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads and writes settings.json with the same strictness as agents.json. */
public final class SettingsStore {
    private static final Set<String> FIELDS = Set.of("maxAgents", "startGraceMs", "stopAllOnExit");
    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    /** The settings, or the defaults when the file does not exist. */
    public Settings load() throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Settings.DEFAULT;
        } catch (IOException e) {
            throw new ConfigException(file + " could not be read", List.of(new Problem(file.toString(), e.toString())));
        }
        return parse(bytes, file.getFileName().toString());
    }

    static Settings parse(byte[] bytes, String source) throws ConfigException {
        JsonNode root = Json.parse(bytes, source);
        List<Problem> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new ConfigException(source + " is not valid", List.of(new Problem(source, "the top level must be an object")));
        }
        JsonFields f = new JsonFields(root, source, "", problems, FIELDS);
        Settings d = Settings.DEFAULT;
        Integer maxAgents = f.integer("maxAgents");
        Long grace = f.longValue("startGraceMs");
        Boolean stopAll = f.bool("stopAllOnExit");
        if (maxAgents != null && maxAgents < 1) {
            f.problem("maxAgents must be at least 1");
        }
        if (grace != null && (grace < 0 || grace > 60_000)) {
            f.problem("startGraceMs " + grace + " is outside 0..60000");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + " has " + problems.size() + " problem(s)", problems);
        }
        return new Settings(maxAgents == null ? d.maxAgents() : maxAgents, grace == null ? d.startGraceMs() : grace,
                stopAll == null ? d.stopAllOnExit() : stopAll);
    }

    public void save(Settings s) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("maxAgents", s.maxAgents());
        o.put("startGraceMs", s.startGraceMs());
        o.put("stopAllOnExit", s.stopAllOnExit());
        AtomicFiles.write(file, Json.pretty(o), true);
    }
}
