package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON or YAML document read into a {@link JsonNode} tree that remembers the 1-based line of every field and
 * array element, so that a problem can name the line it is on. Paths are written {@code apps[0].name}.
 */
final class LocatedTree {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 200;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .loaderOptions(yamlLoaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();
    private static final Pattern YAML_LINE = Pattern.compile("line (\\d+), column");

    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedTree(JsonNode root, Map<String, Integer> lines) {
        this.root = root;
        this.lines = lines;
    }

    /** Thrown for a document that is not valid JSON or YAML, with the line it fails on (0 when unknown). */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }
    }

    static LocatedTree json(String text) throws SyntaxError {
        return read(JSON, text);
    }

    static LocatedTree yaml(String text) throws SyntaxError {
        return read(YAML, text);
    }

    JsonNode root() {
        return root;
    }

    /** The line of the field or element at {@code path}, or of the closest enclosing one; 0 when unknown. */
    int line(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return lines.getOrDefault("", 0);
            }
            p = p.substring(0, cut);
        }
    }

    /** The path of field {@code name} under {@code parent}. */
    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    private static LocatedTree read(JsonFactory factory, String text) throws SyntaxError {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new SyntaxError(0, "the file is empty");
            }
            lines.put("", lineOf(p));
            JsonNode root = value(p, t, "", lines);
            if (factory == JSON && p.nextToken() != null) {
                throw new SyntaxError(lineOf(p), "unexpected content after the end of the document");
            }
            return new LocatedTree(root, lines);
        } catch (JsonProcessingException e) {
            throw new SyntaxError(errorLine(e), summary(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SyntaxError(0, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML reports some limits (aliases, code points) as unchecked exceptions.
            throw new SyntaxError(0, String.valueOf(e.getMessage()).lines().findFirst().orElse("syntax error"));
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, String path, Map<String, Integer> lines) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = F.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    String child = field(path, name);
                    lines.put(child, lineOf(p));
                    o.set(name, value(p, p.nextToken(), child, lines));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = F.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    String child = element(path, a.size());
                    lines.put(child, lineOf(p));
                    a.add(value(p, e, child, lines));
                }
                return a;
            }
            case VALUE_STRING:
                return F.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? F.numberNode(p.getBigIntegerValue())
                        : F.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return F.numberNode(p.getDecimalValue());
            case VALUE_TRUE:
                return F.booleanNode(true);
            case VALUE_FALSE:
                return F.booleanNode(false);
            case VALUE_NULL:
                return F.nullNode();
            default:
                // Embedded objects (YAML binary) and the like: keep their text.
                return F.textNode(String.valueOf(p.getText()));
        }
    }

    /** The message without SnakeYAML's indented location and snippet lines. */
    private static String summary(String message) {
        String s = String.join("; ", String.valueOf(message).lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
        return s.isEmpty() ? "syntax error" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static int lineOf(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        return l == null || l.getLineNr() < 1 ? 0 : l.getLineNr();
    }

    private static int errorLine(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        if (l != null && l.getLineNr() > 0) {
            return l.getLineNr();
        }
        Matcher m = YAML_LINE.matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static LoaderOptions yamlLoaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(6 * 1024 * 1024);
        o.setMaxAliasesForCollections(50);
        o.setNestingDepthLimit(MAX_DEPTH);
        return o;
    }
}
