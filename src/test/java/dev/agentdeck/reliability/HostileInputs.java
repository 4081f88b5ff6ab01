package dev.agentdeck.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of malformed and hostile input for the reliability tests: agents that are wrong in exactly one
 * hostile way (wrong types, huge strings, control characters, NUL, path traversal in ids, shell text in enums),
 * damaged documents (truncated, invalid UTF-8, deeply nested, trailing garbage), and the words a good refusal of
 * each must contain. The same seed gives the same cases; {@code -Dhostile.seed=N} picks another.
 */
final class HostileInputs {
    static final long DEFAULT_SEED = 0x5EED_0009L;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Strings that try to escape a folder or a shell; none is a valid agent id. */
    static final List<String> BAD_IDS = List.of("../x", "../../x.log", "/etc/passwd", "/tmp/x", "a/b", "..", ".", "",
            " ", "A", "x;rm -rf /", "$(touch pwned)", "`touch pwned`", "a|b", "a&&b", "x\ny", "a\u0000b", "\u00e9t\u00e9",
            "-rf", "_x", "x".repeat(65), "con\\x", "x\u202e", "..\\..\\x", "%2e%2e%2fx");
    /** Values for enum-like fields that are not one of their words. */
    static final List<String> BAD_WORDS = List.of("sometimes", "; rm -rf /", "$(id)", "KILL\u0000", "", "../x",
            "TERM TERM", "\u0001", "yes|no");
    /** Shell metacharacters, quotes, globs and whitespace that must reach an agent verbatim. */
    static final List<String> SHELL_TEXT = List.of("; rm -rf /", "$(touch pwned)", "`touch pwned`", "| touch pwned",
            "&& touch pwned", "|| true", "'", "\"", "'\"'\"'", "\n", "a\nb", "\t", "*", "?", "[a-z]*", "~", "~root",
            "$HOME", "${IFS}", "$0", "$@", "\\", "\\n", "a b", "", " ", "-n", "-e", "--", "%s", "%n%n", "> /tmp/x",
            "< /etc/passwd", "2>&1", "!!", "#comment", "{a,b}", "\u00e9\u4e2d\ud83d\ude00", "\u0001\u001b[31m", "\r\n");

    private static final String[] TEXT_FIELDS = {"name", "type", "command", "cwd", "envFile", "match", "readyLogLine",
            "schedule"};
    private static final String[] INT_FIELDS = {"port", "instances"};
    private static final String[] LIST_FIELDS = {"args", "tags", "watch"};
    private static final String[] OBJECT_FIELDS = {"restart", "stop", "healthCheck", "resources"};
    /** Text fields the validator bounds, with their limits. */
    private static final Object[][] BOUNDED = {{"name", 200}, {"type", 100}, {"command", 4096}, {"cwd", 4096},
            {"envFile", 4096}, {"match", 4096}};
    private static final String[][] NESTED_NUMBERS = {{"restart", "delayMs"}, {"restart", "maxDelayMs"},
            {"restart", "burst"}, {"restart", "windowSec"}, {"restart", "resetAfterSec"}, {"stop", "timeoutSec"},
            {"healthCheck", "intervalMs"}, {"healthCheck", "timeoutMs"}, {"healthCheck", "failureThreshold"},
            {"healthCheck", "successThreshold"}, {"healthCheck", "initialDelayMs"}, {"healthCheck", "port"},
            {"resources", "memoryMb"}, {"resources", "cpuPercent"}};
    private static final String[][] NESTED_WORDS = {{"restart", "policy"}, {"stop", "signal"},
            {"resources", "memoryAction"}, {"healthCheck", "type"}};
    /** A field, a value out of its range, and the words the refusal names. */
    private static final Object[][] OUT_OF_RANGE = {{"port", 0L}, {"port", -1L}, {"port", 65536L},
            {"port", 2147483648L}, {"instances", 0L}, {"instances", -3L}, {"instances", 101L},
            {"stop.timeoutSec", -1L}, {"stop.timeoutSec", 3601L}, {"restart.delayMs", -1L}, {"restart.burst", 0L},
            {"restart.windowSec", 0L}, {"restart.resetAfterSec", -1L}, {"healthCheck.intervalMs", 5L},
            {"healthCheck.timeoutMs", 0L}, {"healthCheck.failureThreshold", 0L}, {"healthCheck.initialDelayMs", -1L},
            {"healthCheck.port", 70000L}, {"resources.memoryMb", 0L}, {"resources.cpuPercent", -5L}};

    private final long seed;
    private final Random rnd;

    HostileInputs(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
    }

    static long seedFromProperty() {
        return Long.getLong("hostile.seed", DEFAULT_SEED);
    }

    long seed() {
        return seed;
    }

    Random random() {
        return rnd;
    }

    <T> T pick(List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }

    private String pick(String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    /** An agent wrong in one hostile way, as agents.json and the Spawn API hold it, and what its refusal names. */
    record BadAgent(String label, ObjectNode agent, List<String> mustName) {
    }

    /** A valid agent: {@code sleep 300}. */
    static ObjectNode baseAgent(String id) {
        ObjectNode a = F.objectNode();
        a.put("id", id);
        a.put("command", "sleep");
        a.putArray("args").add("300");
        return a;
    }

    /**
     * An agent with one hostile value. {@code hugeChars} is the length of the huge strings (10 MB for files, less
     * than the API's body limit for requests).
     */
    BadAgent badAgent(String id, int hugeChars) {
        ObjectNode a = baseAgent(id);
        int kind = rnd.nextInt(16);
        switch (kind) {
            case 0: {
                String f = pick(TEXT_FIELDS);
                JsonNode v = pick(List.of(F.numberNode(5), F.booleanNode(true), F.arrayNode(), F.objectNode(),
                        F.numberNode(1.5)));
                a.set(f, v);
                return new BadAgent(f + " = " + v, a, List.of(f));
            }
            case 1: {
                String f = pick(INT_FIELDS);
                JsonNode v = pick(List.of(F.textNode("80"), F.booleanNode(true), F.numberNode(1.5), F.arrayNode(),
                        F.objectNode(), F.numberNode(new java.math.BigInteger("99999999999999999999"))));
                a.set(f, v);
                return new BadAgent(f + " = " + v, a, List.of(f));
            }
            case 2: {
                String f = pick(LIST_FIELDS);
                boolean element = rnd.nextBoolean();
                JsonNode v = element ? F.arrayNode().add(pick(List.of(F.numberNode(1), F.objectNode(), F.arrayNode(),
                        F.booleanNode(false)))) : pick(List.of(F.textNode("rm -rf /"), F.numberNode(5), F.objectNode()));
                a.set(f, v);
                return new BadAgent(f + " = " + v, a, List.of(element ? f + "[0]" : f));
            }
            case 3: {
                boolean inside = rnd.nextBoolean();
                JsonNode v = inside ? F.objectNode().set("X", pick(List.of(F.numberNode(1), F.objectNode(), F.arrayNode())))
                        : pick(List.of(F.textNode("A=1"), F.arrayNode().add("A=1"), F.numberNode(5)));
                a.set("env", v);
                return new BadAgent("env = " + v, a, List.of(inside ? "env.X" : "env"));
            }
            case 4: {
                String f = pick(OBJECT_FIELDS);
                JsonNode v = pick(List.of(F.textNode("x"), F.numberNode(5), F.arrayNode(), F.booleanNode(true)));
                a.set(f, v);
                return new BadAgent(f + " = " + v, a, List.of(f));
            }
            case 5: {
                String[] nf = NESTED_NUMBERS[rnd.nextInt(NESTED_NUMBERS.length)];
                ObjectNode section = section(a, nf[0]);
                JsonNode v = pick(List.of(F.textNode("1000"), F.booleanNode(true), F.numberNode(0.5), F.arrayNode()));
                section.set(nf[1], v);
                return new BadAgent(nf[0] + "." + nf[1] + " = " + v, a, List.of(nf[0] + "." + nf[1]));
            }
            case 6: {
                String[] nf = NESTED_WORDS[rnd.nextInt(NESTED_WORDS.length)];
                String word = pick(BAD_WORDS);
                ObjectNode section = section(a, nf[0]);
                section.put(nf[1], word);
                if (nf[0].equals("healthCheck") && word.isEmpty()) {
                    return new BadAgent("healthCheck.type = \"\"", a, List.of("healthCheck.type"));
                }
                return new BadAgent(nf[0] + "." + nf[1] + " = " + F.textNode(word), a, List.of(nf[0] + "." + nf[1]));
            }
            case 7: {
                Object[] r = OUT_OF_RANGE[rnd.nextInt(OUT_OF_RANGE.length)];
                String path = (String) r[0];
                int dot = path.indexOf('.');
                ObjectNode target = dot < 0 ? a : section(a, path.substring(0, dot));
                target.put(path.substring(dot + 1), (Long) r[1]);
                return new BadAgent(path + " = " + r[1], a, List.of(path));
            }
            case 8: {
                String bad = pick(BAD_IDS);
                a.put("id", bad);
                return new BadAgent("id = " + F.textNode(bad), a, List.of("id"));
            }
            case 9: {
                Object[] b = BOUNDED[rnd.nextInt(BOUNDED.length)];
                String f = (String) b[0];
                char c = (char) (rnd.nextBoolean() ? rnd.nextInt(0x20) : 0x7f);
                boolean huge = rnd.nextInt(4) == 0;
                String v = huge ? "x".repeat(hugeChars) : "ok" + c + "ok";
                a.put(f, v);
                return new BadAgent(f + (huge ? " of " + hugeChars + " characters" : " with control character " + (int) c),
                        a, List.of(f, huge ? "characters long" : "control character"));
            }
            case 10: {
                boolean nul = rnd.nextBoolean();
                ArrayNode args = a.putArray("args");
                args.add("ok");
                args.add(nul ? "a\u0000b" : "y".repeat(Math.max(65_537, hugeChars)));
                return new BadAgent(nul ? "args[1] with NUL" : "args[1] huge", a,
                        List.of("args[1]", nul ? "NUL" : "characters long"));
            }
            case 11: {
                int variant = rnd.nextInt(3);
                ObjectNode env = a.putObject("env");
                String name = pick(List.of("A-B", "1X", "$(id)", "A B", "", "X=Y", "../x"));
                switch (variant) {
                    case 0 -> env.put(name, "v");
                    case 1 -> env.put("X", "a\u0000b");
                    default -> env.put("X", "z".repeat(Math.max(65_537, hugeChars)));
                }
                return new BadAgent(variant == 0 ? "env name " + F.textNode(name) : variant == 1 ? "env X with NUL"
                        : "env X huge", a, List.of(variant == 0 ? "env name" : "env X"));
            }
            case 12: {
                String name = pick(List.of("__proto__", "constructor", "comand", "cmd", "shell", "../x", "\u0000",
                        "x".repeat(Math.min(hugeChars, 100_000))));
                a.put(name, "rm -rf /");
                return new BadAgent("unknown field " + F.textNode(name.length() > 40 ? name.substring(0, 40) + "..." : name),
                        a, List.of("unknown field"));
            }
            case 13: {
                int variant = rnd.nextInt(4);
                switch (variant) {
                    case 0 -> a.put("readyLogLine", pick(List.of("(", "[a-", "*x", "a{2,1}")));
                    case 1 -> a.put("schedule", pick(List.of("* * *", "61 * * * *", "; rm -rf /", "@never")));
                    case 2 -> a.putObject("healthCheck").put("endpoint", pick(List.of("file:///etc/passwd",
                            "javascript:alert(1)", "http://", "ftp://x/", "::::")));
                    default -> a.putObject("healthCheck").put("type", "command").put("command", "rm -rf / ; true");
                }
                String f = switch (variant) {
                    case 0 -> "readyLogLine";
                    case 1 -> "schedule";
                    case 2 -> "healthCheck.endpoint";
                    default -> "healthCheck.command";
                };
                return new BadAgent(f + " is not usable", a, List.of(f));
            }
            case 14: {
                int variant = rnd.nextInt(3);
                switch (variant) {
                    case 0 -> a.put("dependsOn", "other");
                    case 1 -> a.putArray("dependsOn").addObject().put("condition", "healthy");
                    default -> a.putArray("dependsOn").addObject().put("id", "other").put("condition", pick(BAD_WORDS));
                }
                return new BadAgent("dependsOn variant " + variant, a, List.of(variant == 0 ? "dependsOn"
                        : variant == 1 ? "dependsOn[0].id" : "dependsOn[0].condition"));
            }
            default: {
                String f = rnd.nextBoolean() ? "tags" : "watch";
                boolean huge = rnd.nextBoolean();
                a.putArray(f).add(huge ? "t".repeat(Math.max(1001, Math.min(hugeChars, 200_000))) : "a\u0007b");
                return new BadAgent(f + "[0] " + (huge ? "huge" : "with BEL"), a, List.of(f + "[0]"));
            }
        }
    }

    /** The named section of an agent, made valid on its own so that only the one hostile value is wrong. */
    private static ObjectNode section(ObjectNode a, String name) {
        if (a.get(name) instanceof ObjectNode o) {
            return o;
        }
        ObjectNode o = a.putObject(name);
        if (name.equals("healthCheck")) {
            o.put("type", "tcp").put("port", 9);
        }
        return o;
    }

    /** A whole document, as bytes, and what its refusal names. */
    record BadFile(String label, byte[] bytes, List<String> mustName) {
    }

    /** An agents.json that is damaged or holds one hostile agent (among valid ones). */
    BadFile badAgentsFile(int hugeChars) {
        int kind = rnd.nextInt(10);
        if (kind < 5) {
            ObjectNode doc = doc();
            int at = rnd.nextInt(3);
            BadAgent bad = badAgent("h", hugeChars);
            ((ArrayNode) doc.get("agents")).insert(at, bad.agent());
            List<String> names = new ArrayList<>(bad.mustName());
            names.add("agents[" + at + "]");
            return new BadFile("agents[" + at + "]: " + bad.label(), pretty(doc), names);
        }
        return damaged(pretty(doc()), kind);
    }

    /** A settings.json with one wrong value, or damaged. */
    BadFile badSettingsFile() {
        String[] fields = {"maxAgents", "startGraceMs", "metricsIntervalMs", "backgroundMetricsMs", "logMaxBytes",
                "logKeep", "dependencyTimeoutSec", "rawSamplesMinutes", "rollupDays", "retentionDays"};
        ObjectNode s = F.objectNode();
        s.put("maxAgents", 10).put("stopAllOnExit", false);
        int kind = rnd.nextInt(8);
        switch (kind) {
            case 0, 1: {
                String f = pick(fields);
                JsonNode v = pick(List.of(F.textNode("100"), F.booleanNode(true), F.numberNode(1.5), F.arrayNode(),
                        F.objectNode(), F.textNode("; rm -rf /")));
                s.set(f, v);
                return new BadFile("settings " + f + " = " + v, pretty(s), List.of(f));
            }
            case 2, 3: {
                String f = pick(fields);
                long v = pick(List.of(-1L, Long.MIN_VALUE, 4_000_000_000L));
                if (f.equals("logMaxBytes") && v > 0) {
                    v = 5;
                }
                s.put(f, v);
                return new BadFile("settings " + f + " = " + v, pretty(s), List.of(f));
            }
            case 4: {
                String f = rnd.nextBoolean() ? "stopAllOnExit" : "stopRemovedAgents";
                s.put(f, pick(List.of("yes", "true", "1")));
                return new BadFile("settings " + f + " as a string", pretty(s), List.of(f));
            }
            case 5: {
                s.put(pick(List.of("maxagents", "../x", "__proto__", "logMaxByte")), 1);
                return new BadFile("settings with an unknown field", pretty(s), List.of("unknown field"));
            }
            default:
                return damaged(pretty(s), 5 + rnd.nextInt(5));
        }
    }

    /** A document damaged at the byte level: every such refusal names a line (or says the file is empty). */
    private BadFile damaged(byte[] good, int kind) {
        switch (kind) {
            case 5: {
                int lastBrace = lastIndexOf(good, (byte) '}');
                int cut = rnd.nextInt(lastBrace);
                byte[] b = java.util.Arrays.copyOf(good, cut);
                return new BadFile("truncated at byte " + cut, b, List.of(blank(b) ? "empty" : "line "));
            }
            case 6: {
                byte[][] bad = {{(byte) 0xff}, {(byte) 0xc3, (byte) 0x28}, {(byte) 0xc0, (byte) 0xaf},
                        {(byte) 0x80}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
                byte[] ins = bad[rnd.nextInt(bad.length)];
                // inside the first string value, so only the encoding is wrong
                int at = indexOf(good, "\"sleep\"".getBytes(StandardCharsets.UTF_8));
                at = at < 0 ? indexOf(good, "false".getBytes(StandardCharsets.UTF_8)) : at + 1;
                return new BadFile("invalid UTF-8 " + hex(ins) + " at byte " + at, splice(good, at, ins), List.of("line "));
            }
            case 7: {
                int depth = 1_001 + rnd.nextInt(200_000);
                String open = rnd.nextBoolean() ? "[" : "{\"a\":";
                StringBuilder b = new StringBuilder("{\"version\": 1, \"x\": ");
                b.append(open.repeat(depth));
                return new BadFile("nested " + depth + " deep", b.toString().getBytes(StandardCharsets.UTF_8),
                        List.of("line ", "depth"));
            }
            case 8: {
                int at = indexOf(good, "\"sleep\"".getBytes(StandardCharsets.UTF_8));
                // a newline is only wrong inside a string; between values it is whitespace
                String raw = pick(at < 0 ? List.of("\u0000", "\u0001", "\u001b") : List.of("\u0000", "\u0001", "\u001b", "\n"));
                at = at < 0 ? indexOf(good, "false".getBytes(StandardCharsets.UTF_8)) : at + 2;
                return new BadFile("raw control character " + (int) raw.charAt(0) + " in a string",
                        splice(good, at, raw.getBytes(StandardCharsets.UTF_8)), List.of("line "));
            }
            default: {
                String[][] docs = {{"[]", "top level"}, {"\"agents\"", "top level"}, {"null", "top level"},
                        {"42", "top level"}, {"", "empty"}, {" \n\t ", "empty"}, {"{\"version\": 1} x", "line "},
                        {"{\"version\": 1, \"version\": 1}", "line "}, {"{// comment\n}", "line "},
                        {"{\"version\": NaN}", "line "}, {"{'version': 1}", "line "}, {"{\"version\": 1,}", "line "},
                        {"\u0000\u0000", "line "}, {"{\"version\": 1e999999}", ""}};
                String[] d = docs[rnd.nextInt(docs.length)];
                if (d[1].isEmpty()) {
                    d = docs[0];
                }
                return new BadFile("document " + Json.compact(d[0]), d[0].getBytes(StandardCharsets.UTF_8), List.of(d[1]));
            }
        }
    }

    /** A valid agents.json of two plain agents, which hostile cases break. */
    static ObjectNode doc() {
        ObjectNode doc = F.objectNode();
        doc.put("version", 1);
        ArrayNode agents = doc.putArray("agents");
        agents.add(baseAgent("good-1"));
        agents.add(baseAgent("good-2").put("autostart", false));
        return doc;
    }

    static byte[] pretty(JsonNode n) {
        return Json.pretty(n);
    }

    /** A hostile agents-level document that is wrong at the top: version, agents of another type, agents[i] not an object. */
    BadFile badTop() {
        ObjectNode doc = doc();
        int v = rnd.nextInt(4);
        switch (v) {
            case 0 -> doc.put("version", pick(List.of(2, 0, -1)));
            case 1 -> doc.put("agents", "all");
            case 2 -> ((ArrayNode) doc.get("agents")).add(pick(List.of(5, 0)));
            default -> ((ArrayNode) doc.get("agents")).add(baseAgent("good-1"));
        }
        List<String> names = switch (v) {
            case 0 -> List.of("version");
            case 1 -> List.of("agents must be an array");
            case 2 -> List.of("agents[2]", "must be an object");
            default -> List.of("agents[2]", "already used");
        };
        return new BadFile("top-level variant " + v, pretty(doc), names);
    }

    private static boolean blank(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).isBlank();
    }

    static byte[] splice(byte[] b, int at, byte[] ins) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, 0, at);
        out.writeBytes(ins);
        out.write(b, at, b.length - at);
        return out.toByteArray();
    }

    static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] b, byte c) {
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    /** Shows a value in a failure message: control characters escaped, long values cut. */
    static String shown(String s) {
        String p = dev.agentdeck.core.SpecValidator.printable(s);
        return s.length() > 200 ? p + " (" + s.length() + " chars)" : p;
    }
}
