package dev.agentdeck.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.agentdeck.core.Problem;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The project's Jackson setup in one place: strict parsing (duplicate keys are errors), readable output
 * (two-space indent, {@code "key": value}, as {@code JSON.stringify(x, null, 2)}), ISO-8601 times.
 */
public final class Json {
    /** For records and trees: ISO times, no failure on empty beans. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /**
     * For the engine's records on the wire between an engine and a remote panel: exactly the record components
     * (no derived getters such as {@code isEmpty()}), and fields a newer engine adds are ignored.
     */
    public static final ObjectMapper WIRE = MAPPER.copy()
            .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.ALL,
                    com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
            .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                    com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
            .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.CREATOR,
                    com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(dev.agentdeck.core.HealthCheckSpec.class, HealthCheckKinds.class);

    /** On the wire, a health check names its kind: {@code "kind": "http" | "tcp" | "command"}. */
    @com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.NAME,
            property = "kind")
    @com.fasterxml.jackson.annotation.JsonSubTypes({
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = dev.agentdeck.core.HealthCheckSpec.Http.class, name = "http"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = dev.agentdeck.core.HealthCheckSpec.Tcp.class, name = "tcp"),
            @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = dev.agentdeck.core.HealthCheckSpec.Command.class, name = "command")})
    private interface HealthCheckKinds {
    }

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    private Json() {
    }

    /**
     * Parses a document into a tree; a syntax error becomes one {@link ConfigException} naming the file, line
     * and column.
     */
    public static JsonNode parse(byte[] bytes, String source) throws ConfigException {
        String badEncoding = invalidUtf8(bytes);
        if (badEncoding != null) {
            throw new ConfigException(source + " is not valid JSON", List.of(new Problem(source, badEncoding)));
        }
        try (JsonParser p = MAPPER.createParser(bytes)) {
            try {
                JsonNode node = MAPPER.readTree(p);
                if (node == null || node.isMissingNode()) {
                    throw new ConfigException(source + " is not valid JSON",
                            List.of(new Problem(source, "the file is empty")));
                }
                if (p.nextToken() != null) {
                    throw new ConfigException(source + " is not valid JSON", List.of(new Problem(source,
                            "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr()
                                    + ": unexpected content after the end of the document")));
                }
                return node;
            } catch (JsonProcessingException e) {
                // limits (nesting depth, string length) are reported without a location; the parser knows where it is
                var loc = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                String at = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
                throw new ConfigException(source + " is not valid JSON",
                        List.of(new Problem(source, at + e.getOriginalMessage())));
            }
        } catch (java.io.IOException e) {
            throw new ConfigException(source + " could not be read",
                    List.of(new Problem(source, String.valueOf(e.getMessage()))));
        }
    }

    /**
     * Where {@code bytes} are not UTF-8 ("line 3, column 9: byte 0xC0 is not valid UTF-8"), or null when they are.
     * Jackson's parser lets overlong forms through ({@code C0 AF} reads as '/', so {@code ..\xC0\xAF} would be
     * {@code ../}); the JDK's decoder refuses them, surrogates and every other malformed sequence.
     */
    static String invalidUtf8(byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                int at = in.position();
                int line = 1;
                int lineStart = 0;
                for (int i = 0; i < at; i++) {
                    if (bytes[i] == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                return "line " + line + ", column " + (at - lineStart + 1) + ": byte 0x"
                        + String.format("%02X", bytes[at] & 0xff) + " is not valid UTF-8 (save the file as UTF-8)";
            }
            if (r.isUnderflow()) {
                return null;
            }
            out.clear();
        }
    }

    /** Writes a tree as readable JSON with a final newline. */
    public static byte[] pretty(JsonNode node) {
        try {
            String text = MAPPER.writer(PRETTY).writeValueAsString(node);
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /** Writes any value (record, map) as compact JSON. */
    public static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON for " + value.getClass().getSimpleName(), e);
        }
    }
}
