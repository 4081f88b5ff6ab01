package dev.agentdeck.tls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The engines a client has pinned, as {@code ssh}'s known_hosts: {@code known-engines.json} maps
 * {@code host:port} to the fingerprint of the certificate seen there and when it was pinned, one engine a
 * line so that a line can be deleted by hand (a comma left before the closing brace is fine).
 *
 * <p>The file is {@link #defaultFile} unless given: the system property {@value #PROPERTY}, else
 * {@code known-engines.json} in the user's AgentDeck config folder ({@code $XDG_CONFIG_HOME/agentdeck} or
 * {@code ~/.config/agentdeck} on Linux). It belongs to the user, not to a home: {@code AGENTDECK_HOME} and
 * {@code --home} do not move it.
 */
public final class KnownEngines {
    public static final String PROPERTY = "agentdeck.knownEngines";
    public static final String FILE_NAME = "known-engines.json";
    private static final ObjectMapper LENIENT = JsonMapper.builder().enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();

    /** A pinned fingerprint and when it was pinned. */
    public record Pin(Fingerprint fingerprint, Instant pinnedAt) {
    }

    private final Path file;

    public KnownEngines(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    /** The user's pins, in {@link #defaultFile}. */
    public static KnownEngines user() {
        return new KnownEngines(defaultFile(System.getenv()));
    }

    /** The system property {@value #PROPERTY}, else {@code known-engines.json} in the user's config folder. */
    public static Path defaultFile(Map<String, String> env) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Map<String, String> userEnv = new HashMap<>(env);
        userEnv.remove(Workspace.HOME_ENV); // pins belong to the user, whichever home a command works on
        return Workspace.resolve(null, userEnv).configDir().resolve(FILE_NAME);
    }

    /**
     * The key of an https URL's engine: {@code host:port}, the host in lower case (an IPv6 address in brackets),
     * the port 443 when the URL names none.
     */
    public static String key(URI url) {
        String host = url.getHost();
        if (host == null) {
            throw new IllegalArgumentException(url + " names no host");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return host + ":" + (url.getPort() < 0 ? 443 : url.getPort());
    }

    public Path file() {
        return file;
    }

    /** The pin of {@code hostPort}, if any. */
    public synchronized Optional<Pin> find(String hostPort) throws IOException {
        return Optional.ofNullable(read().get(hostPort));
    }

    /** Records (or replaces) the pin of {@code hostPort}, keeping the others. */
    public synchronized Pin pin(String hostPort, Fingerprint fingerprint) throws IOException {
        Map<String, Pin> pins = read();
        Pin pin = new Pin(fingerprint, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        pins.put(hostPort, pin);
        write(pins);
        return pin;
    }

    /** All pins, in the file's order. */
    public synchronized Map<String, Pin> all() throws IOException {
        return read();
    }

    private Map<String, Pin> read() throws IOException {
        Map<String, Pin> pins = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return pins;
        }
        JsonNode root;
        try {
            root = LENIENT.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (root == null || root.isMissingNode()) {
            return pins; // an empty file
        }
        if (!root.isObject()) {
            throw new IOException(file + " must hold a JSON object of \"host:port\": {\"fingerprint\": ...} entries");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                Instant at = e.getValue().hasNonNull("pinnedAt") ? Instant.parse(e.getValue().get("pinnedAt").asText()) : null;
                pins.put(e.getKey(), new Pin(Fingerprint.parse(e.getValue().path("fingerprint").asText("")), at));
            } catch (IllegalArgumentException | DateTimeParseException ex) {
                throw new IOException(file + ": the entry of " + e.getKey() + " is damaged: " + ex.getMessage()
                        + "; fix or delete its line", ex);
            }
        }
        return pins;
    }

    private void write(Map<String, Pin> pins) throws IOException {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Pin> e : pins.entrySet()) {
            var entry = Json.MAPPER.createObjectNode().put("fingerprint", e.getValue().fingerprint().toString());
            if (e.getValue().pinnedAt() != null) {
                entry.put("pinnedAt", e.getValue().pinnedAt().toString());
            }
            out.append("  ").append(Json.compact(e.getKey())).append(": ").append(Json.compact(entry))
                    .append(++i < pins.size() ? ",\n" : "\n");
        }
        out.append("}\n");
        AtomicFiles.write(file, out.toString().getBytes(StandardCharsets.UTF_8), true);
    }
}
