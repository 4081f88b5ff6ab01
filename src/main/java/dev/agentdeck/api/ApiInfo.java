package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a running instance writes to {@code api.json} in its data folder so {@code ctl} and scripts find it:
 * its PID, port and base URL, and with TLS its certificate's fingerprint. Removed on exit.
 *
 * @param fingerprint the certificate's SHA-256 fingerprint ({@code SHA256 AB:CD:...}) when the API speaks
 *                    https, else null (also in files written before TLS existed)
 */
public record ApiInfo(long pid, int port, String url, String fingerprint) {

    /** Without TLS. */
    public ApiInfo(long pid, int port, String url) {
        this(pid, port, url, null);
    }

    public void write(Path file) throws IOException {
        PrivateFiles.createDirectories(file.toAbsolutePath().getParent());
        var node = Json.MAPPER.createObjectNode().put("pid", pid).put("port", port).put("url", url);
        if (fingerprint != null) {
            node.put("fingerprint", fingerprint);
        }
        AtomicFiles.write(file, Json.pretty(node), false);
    }

    /** Reads api.json, or returns null when there is none; a damaged file is an IOException naming it. */
    public static ApiInfo read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(file.toFile());
            if (n == null || !n.hasNonNull("port") || !n.hasNonNull("url")) {
                throw new IOException(file + " does not name a port and url");
            }
            return new ApiInfo(n.path("pid").asLong(), n.get("port").asInt(), n.get("url").asText(),
                    n.hasNonNull("fingerprint") ? n.get("fingerprint").asText() : null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Deletes api.json when it still describes this instance (a newer instance may have replaced it). */
    public void removeIfOurs(Path file) {
        try {
            ApiInfo now = read(file);
            if (now != null && now.pid == pid && now.port == port) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // unreadable or gone: nothing of ours to remove
        }
    }
}
