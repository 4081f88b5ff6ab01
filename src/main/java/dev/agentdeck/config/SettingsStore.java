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
    private static final Set<String> FIELDS = Set.of("maxAgents", "startGraceMs", "stopAllOnExit", "metricsIntervalMs",
            "backgroundMetricsMs", "logMaxBytes", "logKeep", "stopRemovedAgents", "dependencyTimeoutSec", "rawSamplesMinutes",
            "rollupDays", "retentionDays", "containment");
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
        int maxAgents = (int) range(f, "maxAgents", 1, 100_000, d.maxAgents());
        long grace = range(f, "startGraceMs", 0, 60_000, d.startGraceMs());
        long metrics = range(f, "metricsIntervalMs", 100, 3_600_000, d.metricsIntervalMs());
        long background = range(f, "backgroundMetricsMs", 100, 3_600_000, d.backgroundMetricsMs());
        long logMax = range(f, "logMaxBytes", 1024, Long.MAX_VALUE, d.logMaxBytes());
        int keep = (int) range(f, "logKeep", 0, 1000, d.logKeep());
        int depTimeout = (int) range(f, "dependencyTimeoutSec", 1, 86_400, d.dependencyTimeoutSec());
        int rawMinutes = (int) range(f, "rawSamplesMinutes", 1, 7 * 24 * 60, d.rawSamplesMinutes());
        int rollupDays = (int) range(f, "rollupDays", 1, 3650, d.rollupDays());
        int retentionDays = (int) range(f, "retentionDays", 1, 3650, d.retentionDays());
        Boolean stopAll = f.bool("stopAllOnExit");
        Boolean stopRemoved = f.bool("stopRemovedAgents");
        String containment = f.text("containment");
        if (containment != null && !Settings.CONTAINMENTS.contains(containment)) {
            f.problem("containment \"" + dev.agentdeck.core.SpecValidator.printable(containment) + "\" must be "
                    + String.join(" or ", Settings.CONTAINMENTS));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + " has " + problems.size() + " problem(s)", problems);
        }
        return new Settings(maxAgents, grace, stopAll == null ? d.stopAllOnExit() : stopAll, metrics, background,
                logMax, keep, stopRemoved == null ? d.stopRemovedAgents() : stopRemoved, depTimeout, rawMinutes, rollupDays,
                retentionDays, containment == null ? d.containment() : containment);
    }

    private static long range(JsonFields f, String field, long min, long max, long dflt) {
        Long v = f.longValue(field);
        if (v == null) {
            return dflt;
        }
        if (v < min || v > max) {
            f.problem(field + " " + v + " is outside " + min + ".." + (max == Long.MAX_VALUE ? "" : String.valueOf(max)));
            return dflt;
        }
        return v;
    }

    public void save(Settings s) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("maxAgents", s.maxAgents());
        o.put("startGraceMs", s.startGraceMs());
        o.put("stopAllOnExit", s.stopAllOnExit());
        o.put("metricsIntervalMs", s.metricsIntervalMs());
        o.put("backgroundMetricsMs", s.backgroundMetricsMs());
        o.put("logMaxBytes", s.logMaxBytes());
        o.put("logKeep", s.logKeep());
        o.put("stopRemovedAgents", s.stopRemovedAgents());
        o.put("dependencyTimeoutSec", s.dependencyTimeoutSec());
        o.put("rawSamplesMinutes", s.rawSamplesMinutes());
        o.put("rollupDays", s.rollupDays());
        o.put("retentionDays", s.retentionDays());
        o.put("containment", s.containment());
        AtomicFiles.write(file, Json.pretty(o), true);
    }
}
