package dev.agentdeck.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The PID files of one workspace ({@code run/<id>.pid}): written as JSON by the engine, read as JSON or as a
 * bare integer (as other tools write them). {@code {pid, startTime, commandLine, agentId, startTicks, bootId,
 * pgid, cgroup}}.
 */
public final class PidFiles {
    private final Path runDir;

    public PidFiles(Path runDir) {
        this.runDir = runDir;
    }

    public Path fileOf(String agentId) {
        return runDir.resolve(agentId + ".pid");
    }

    public void write(PidFile pf) throws IOException {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("pid", pf.pid());
        o.put("startTime", pf.startTime() == null ? null : pf.startTime().toString());
        o.put("commandLine", pf.commandLine());
        o.put("agentId", pf.agentId());
        if (pf.startTicks() != null) {
            o.put("startTicks", pf.startTicks());
        }
        if (pf.bootId() != null) {
            o.put("bootId", pf.bootId());
        }
        if (pf.pgid() != null) {
            o.put("pgid", pf.pgid());
        }
        if (pf.cgroup() != null) {
            o.put("cgroup", pf.cgroup());
        }
        // Not fsync'd: after a power loss a missing or empty PID file only means "not running", which is true.
        AtomicFiles.write(fileOf(pf.agentId()), Json.pretty(o), false);
    }

    /**
     * Reads the PID file of an agent: empty when there is none; {@link IOException} when it exists but holds
     * neither JSON of the engine's form nor a bare integer.
     */
    public Optional<PidFile> read(String agentId) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(fileOf(agentId));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        if (text.matches("\\d{1,10}")) {
            return Optional.of(PidFile.bare(Long.parseLong(text), agentId));
        }
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n == null || !n.isObject() || !n.path("pid").canConvertToLong() || !n.path("pid").isIntegralNumber()) {
                throw new IOException(fileOf(agentId) + " holds no PID");
            }
            Instant start = n.hasNonNull("startTime") ? Instant.parse(n.get("startTime").asText()) : null;
            return Optional.of(new PidFile(n.get("pid").asLong(), start,
                    n.hasNonNull("commandLine") ? n.get("commandLine").asText() : null, agentId,
                    n.hasNonNull("startTicks") ? n.get("startTicks").asLong() : null,
                    n.hasNonNull("bootId") ? n.get("bootId").asText() : null,
                    n.hasNonNull("pgid") ? n.get("pgid").asLong() : null,
                    n.hasNonNull("cgroup") ? n.get("cgroup").asText() : null));
        } catch (java.time.format.DateTimeParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(fileOf(agentId) + " is neither a PID nor AgentDeck's JSON: " + e.getMessage(), e);
        }
    }

    public void remove(String agentId) throws IOException {
        Files.deleteIfExists(fileOf(agentId));
    }

    /** Moves a PID file that does not describe a live agent aside as {@code <id>.pid.stale-<millis>}; never deletes it. */
    public Path moveAside(String agentId) throws IOException {
        Path target = runDir.resolve(agentId + ".pid.stale-" + System.currentTimeMillis());
        Files.move(fileOf(agentId), target);
        return target;
    }
}
