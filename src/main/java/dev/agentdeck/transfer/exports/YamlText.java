package dev.agentdeck.transfer.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * Block-style YAML without a document marker. Every string is double-quoted: with YAML 1.1 readers "8080",
 * "no" or "1:30" left bare would come back as numbers and booleans.
 */
final class YamlText {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private YamlText() {
    }

    static String dump(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode arr = F.arrayNode();
        values.forEach(arr::add);
        return arr;
    }

    /** Whole seconds rounded up (at least {@code min}), for fields that only take seconds. */
    static int seconds(long ms, int min) {
        return (int) Math.max(min, (ms + 999) / 1000);
    }

    /** A Compose duration: {@code 30s}, or {@code 1500ms} when not whole seconds. */
    static String duration(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** CPU cores from AgentDeck's percent (100 = one core), as Compose writes them: "1.5". */
    static String cores(int percent) {
        return new java.math.BigDecimal(percent).movePointLeft(2).stripTrailingZeros().toPlainString()
                .toLowerCase(Locale.ROOT);
    }
}
