package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.SpecValidator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line and the environment of a pm2 app: pm2 runs {@code <interpreter> <node_args> <script> <args>}
 * (no shell), choosing the interpreter by the script's extension when none is set, as its interpreter.json does.
 */
final class Pm2Commands {
    private static final Map<String, String> INTERPRETERS = Map.ofEntries(Map.entry(".sh", "bash"),
            Map.entry(".py", "python3"), Map.entry(".rb", "ruby"), Map.entry(".php", "php"), Map.entry(".pl", "perl"),
            Map.entry(".js", "node"), Map.entry(".mjs", "node"), Map.entry(".cjs", "node"),
            Map.entry(".coffee", "coffee"), Map.entry(".ls", "lsc"), Map.entry(".ts", "bun"), Map.entry(".tsx", "bun"));
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([KMG]?)B?", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile("(\\d{1,12})\\s*([hms]?)");

    private final Collector out;

    Pm2Commands(Collector out) {
        this.out = out;
    }

    /** Sets command and args of {@code b} from the script, the interpreter and the arguments. */
    void command(NodeFields f, AgentSpec.Builder b, String id, String script, boolean jlist) {
        List<String> args = words(f, "args");
        List<String> nodeArgs = words(f, "node_args");
        String interpreter = f.text("exec_interpreter");
        String ext = extension(script);
        if (interpreter == null && !INTERPRETERS.containsKey(ext) && script.strip().contains(" ")) {
            List<String> split = split(f, "script", script);
            if (!split.isEmpty()) {
                List<String> all = new ArrayList<>(split.subList(1, split.size()));
                all.addAll(args);
                b.command(split.get(0)).args(all);
            }
            return;
        }
        if (interpreter == null) {
            interpreter = INTERPRETERS.getOrDefault(ext, ext.isEmpty() ? "none" : "node");
            if (ext.isEmpty() && !jlist) {
                out.note(id, "exec_interpreter", "pm2 runs a text file without extension with node unless it is a"
                        + " binary; it is run directly here (set interpreter if that is wrong)");
            }
        }
        if (interpreter.equals("none")) {
            b.command(script).args(args);
            if (!nodeArgs.isEmpty()) {
                out.note(id, f.spelled("node_args"), "interpreter arguments without an interpreter are left out");
            }
            return;
        }
        List<String> all = new ArrayList<>(nodeArgs);
        all.add(script);
        all.addAll(args);
        b.command(interpreter).args(all);
    }

    private List<String> words(NodeFields f, String name) {
        JsonNode v = f.raw(name);
        if (v == null) {
            return List.of();
        }
        if (v.isTextual()) {
            return split(f, name, v.textValue());
        }
        List<String> list = f.texts(name);
        return list == null ? List.of() : list;
    }

    private static List<String> split(NodeFields f, String name, String text) {
        try {
            return ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            f.fail(name, "cannot be split into words: " + e.getMessage());
            return List.of();
        }
    }

    /** The env object of an ecosystem app, as text values. */
    Map<String, String> env(NodeFields f, String id) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode v = f.raw("env");
        if (v == null) {
            return env;
        }
        if (!v.isObject()) {
            out.note(id, f.spelled("env"), "only an object of variables is imported, not " + NodeFields.kind(v));
            return env;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            put(env, id, e.getKey(), e.getValue());
        }
        return env;
    }

    /** The env of a jlist process without what pm2 and the shell put there, with one note of what was left. */
    Map<String, String> jlistEnv(NodeFields f, String id, String appName) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode v = f.raw("env");
        TreeSet<String> dropped = new TreeSet<>();
        if (v != null && v.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (Pm2Settings.inherited(e.getKey(), appName, e.getValue())) {
                    dropped.add(e.getKey());
                } else {
                    put(env, id, e.getKey(), e.getValue());
                }
            }
        }
        if (!dropped.isEmpty()) {
            out.note(id, "env", dropped.size() + " variables of pm2's and the shell's own are left out (AgentDeck"
                    + " agents inherit AgentDeck's environment): " + String.join(", ", dropped));
        }
        return env;
    }

    private void put(Map<String, String> env, String id, String name, JsonNode value) {
        if (!ENV_NAME.matcher(name).matches()) {
            out.note(id, "env", "\"" + SpecValidator.printable(name) + "\" is not a valid variable name; left out");
        } else if (value.isValueNode() && !value.isNull()) {
            env.put(name, value.asText());
        } else {
            out.note(id, "env." + name, "only text, numbers and booleans are imported, not " + NodeFields.kind(value));
        }
    }

    static String baseName(String script) {
        String s = script.strip();
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        String base = s.substring(slash + 1);
        int space = base.indexOf(' ');
        base = space < 0 ? base : base.substring(0, space);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static String extension(String script) {
        String s = script.strip();
        String base = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(dot).toLowerCase(Locale.ROOT) : "";
    }

    /** A pm2 size: bytes, or a number with K, M or G (1024-based); null when it is none. */
    static Long bytes(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        Matcher m = SIZE.matcher(v.asText().strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return n > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : n << shift;
    }

    /** A pm2 duration: milliseconds, or a number with h, m or s; null when absent (a problem when wrong). */
    static Long millis(NodeFields f, String name) {
        JsonNode v = f.raw(name);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.longValue() >= 0) {
            return v.longValue();
        }
        Matcher m = TIME.matcher(v.asText().strip());
        if (!m.matches()) {
            f.fail(name, "\"" + SpecValidator.printable(v.asText()) + "\" is not a duration like 1000, 30s, 5m or 1h");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
        };
    }
}
