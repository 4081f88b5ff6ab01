package dev.agentdeck.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 250 generated hostile requests against one real engine behind its API: agents with hostile values to create and
 * edit (Spawn API and wire forms), actions and logs with hostile ids in the path, bad query parameters, damaged
 * bodies. Each is a 4xx whose message names the field, parameter or line; the running agent keeps its PID;
 * agents.json stays byte-identical; no file appears anywhere it should not. Shell text in an agent's args reaches
 * the agent byte for byte and through no shell.
 */
@Tag("reliability")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileApiFaultTest {
    private static final int CASES = 250;
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Files the engine may add while requests are refused: its own records, and the running agent's log and PID. */
    private static final Pattern MAY_APPEAR = Pattern.compile("home/(history\\.db.*|logs/keeper\\..*|run/keeper\\.pid.*|"
            + "agentdeck\\.log.*|logs|run)");

    @TempDir
    static Path tmp;
    private TestHome home;
    private LocalEngine engine;
    private ApiServer api;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Long> started = new ArrayList<>();
    private AgentStatus keeper;

    private record Resp(int status, JsonNode body, String raw) {
        /** The error and its details as one text. */
        String said() {
            if (body == null) {
                return raw;
            }
            StringBuilder b = new StringBuilder(body.path("error").asText());
            body.path("details").forEach(d -> b.append('\n').append(d.asText()));
            return b.toString();
        }
    }

    /** One request and the words its refusal must name ("a|b": either). */
    private record Case(String label, String method, String path, byte[] body, List<String> mustName) {
    }

    @BeforeAll
    void openEngineAndApi() throws Exception {
        home = new TestHome(Files.createDirectories(tmp.resolve("home")));
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "keeper", "command": "sleep", "args": ["300"]}]}
                """);
        engine = LocalEngine.open(home.workspace());
        api = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true), "serve", null);
        keeper = engine.start("keeper").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        started.add(keeper.pid());
    }

    @AfterAll
    void close() throws Exception {
        if (api != null) {
            api.close();
        }
        Engines.stopAndClose(engine, started);
    }

    @Test
    void hostileRequestsAreRefusedNamingWhatIsWrongAndChangeNothing() throws Exception {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty() + 10);
        byte[] agentsJson = Files.readAllBytes(home.agentsFile());
        Set<String> filesBefore = files();
        for (int i = 0; i < CASES; i++) {
            Case c = next(in, i);
            String label = "API case " + i + " of seed " + in.seed() + ": " + c.label() + " (" + c.method() + " "
                    + HostileInputs.shown(c.path()) + ")";
            Resp r;
            try {
                r = send(c.method(), c.path(), c.body());
            } catch (IOException e) {
                throw new AssertionError(label + ": no reply: " + e, e);
            }
            assertTrue(r.status() >= 400 && r.status() < 500, label + ": status " + r.status() + ": " + r.raw());
            String said = r.said();
            assertTrue(r.body() != null && !r.body().path("success").asBoolean(true), label + ": " + r.raw());
            for (String word : c.mustName()) {
                boolean named = false;
                for (String alt : word.split("\\|", -1)) {
                    named |= said.contains(alt);
                }
                assertTrue(named, label + ": the reply does not name \"" + HostileInputs.shown(word) + "\":\n"
                        + HostileInputs.shown(said.length() > 2000 ? said.substring(0, 2000) : said));
            }
            assertArrayEquals(agentsJson, Files.readAllBytes(home.agentsFile()), label + ": agents.json changed");
            AgentStatus now = engine.status("keeper").orElseThrow(() -> new AssertionError(label + ": keeper is gone"));
            assertEquals(AgentState.RUNNING, now.state(), label + ": keeper: " + now.message());
            assertEquals(keeper.pid(), now.pid(), label + ": keeper lost its process");
            Set<String> appeared = new TreeSet<>(files());
            appeared.removeAll(filesBefore);
            appeared.removeIf(p -> MAY_APPEAR.matcher(p).matches());
            assertEquals(Set.of(), appeared, label + ": files appeared");
            if (i % 50 == 49) {
                assertEquals(200, send("GET", "/api/info", null).status(), label + ": the API stopped answering");
            }
        }
        assertTrue(dev.agentdeck.testutil.Procs.running(keeper.pid()));
    }

    /** Shell text in args reaches a real agent byte for byte: it writes its argv NUL-separated, and no shell ran it. */
    @Test
    void shellTextInArgsReachesTheAgentVerbatimThroughNoShell() throws Exception {
        HostileInputs in = new HostileInputs(HostileInputs.seedFromProperty() + 11);
        Path script = home.script("argv", "printf '%s\\0' \"$@\" > \"$OUT.tmp\" && mv \"$OUT.tmp\" \"$OUT\"; exec sleep 300");
        Path out = tmp.resolve("argv.out");
        List<String> args = new ArrayList<>(HostileInputs.SHELL_TEXT);
        for (String trap : List.of("$(touch %s)", "`touch %s`", "; touch %s", "| touch %s", "&& touch %s", "\ntouch %s\n")) {
            args.add(trap.formatted(tmp.resolve("pwned")));
        }
        for (int i = 0; i < 40; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = 1 + in.random().nextInt(4); n > 0; n--) {
                b.append(in.pick(HostileInputs.SHELL_TEXT));
            }
            args.add(b.toString());
        }
        args.add("w".repeat(60_000) + "; rm -rf /");
        ObjectNode spawn = Json.MAPPER.createObjectNode();
        spawn.put("id", "argv").put("command", script.toString()).put("cwd", tmp.toString());
        spawn.putObject("env").put("OUT", out.toString());
        args.forEach(spawn.putArray("args")::add);
        Resp r = send("POST", "/api/spawn/process", Json.MAPPER.writeValueAsBytes(spawn));
        assertEquals(200, r.status(), r.raw());
        started.add(r.body().path("data").path("pid").asLong());
        Await.until("the agent wrote its argv", WAIT, () -> Files.exists(out));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (String a : args) {
            expected.writeBytes(a.getBytes(StandardCharsets.UTF_8));
            expected.write(0);
        }
        byte[] got = Files.readAllBytes(out);
        if (!java.util.Arrays.equals(expected.toByteArray(), got)) {
            String[] parts = new String(got, StandardCharsets.UTF_8).split("\u0000", -1);
            for (int i = 0; i < args.size(); i++) {
                String p = i < parts.length ? parts[i] : "<missing>";
                if (!args.get(i).equals(p)) {
                    fail("seed " + in.seed() + ": args[" + i + "] " + HostileInputs.shown(args.get(i)) + " reached the agent as "
                            + HostileInputs.shown(p));
                }
            }
            fail("seed " + in.seed() + ": the argv differs: " + got.length + " bytes, expected " + expected.size());
        }
        try (var files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("pwned")).toList(),
                    "an argument ran as a shell command");
        }
    }

    /** The i-th case: a mix of every kind, drawn from the seed. */
    private Case next(HostileInputs in, int i) {
        if (i == 123 || i == 234) {
            byte[] huge = ("{\"id\": \"big\", \"command\": \"sleep\", \"name\": \"" + "x".repeat(10 * 1024 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            return new Case("a 10 MB body", "POST", "/api/spawn/process", huge, List.of("MB|body"));
        }
        switch (i % 10) {
            case 0, 1, 2: {
                HostileInputs.BadAgent bad = in.badAgent("h-" + i, 300_000);
                return new Case("spawn " + bad.label(), "POST", "/api/spawn/process", json(bad.agent()), bad.mustName());
            }
            case 3: {
                HostileInputs.BadAgent bad = in.badAgent("keeper", 300_000);
                if (bad.label().startsWith("id =")) {
                    return new Case("edit " + bad.label(), "PUT", "/api/spawn/process/keeper/config", json(bad.agent()),
                            List.of("id"));
                }
                bad.agent().remove("id");
                return new Case("edit " + bad.label(), "PUT", "/api/spawn/process/keeper/config", json(bad.agent()),
                        bad.mustName());
            }
            case 4:
                return badId(in);
            case 5:
                return badQuery(in);
            case 6:
                return badBody(in);
            case 7:
                return badWireAgent(in, i);
            case 8: {
                HostileInputs.BadAgent bad = in.badAgent("imp-" + i, 100_000);
                ObjectNode export = Json.MAPPER.createObjectNode();
                export.put("version", 1).put("agentId", "imp-" + i).set("spec", bad.agent());
                return new Case("import " + bad.label(), "POST", "/api/spawn/import", json(export), bad.mustName());
            }
            default:
                return traversal(in, i);
        }
    }

    private Case badId(HostileInputs in) {
        String id = in.pick(HostileInputs.BAD_IDS);
        String template = in.pick(List.of("POST /api/spawn/process/{}/start", "POST /api/spawn/process/{}/stop",
                "POST /api/spawn/process/{}/kill", "POST /api/spawn/process/{}/restart", "POST /api/spawn/process/{}/pause",
                "DELETE /api/spawn/process/{}", "GET /api/spawn/process/{}", "GET /api/spawn/process/{}/logs",
                "GET /api/spawn/process/{}/export", "POST /api/deck/agents/{}/start", "POST /api/deck/agents/{}/kill",
                "GET /api/deck/agents/{}/status", "GET /api/deck/logs/{}/ends", "GET /api/deck/logs/{}/chunk?stream=out",
                "GET /api/deck/logs/{}/follow", "DELETE /api/deck/agents/{}", "GET /api/deck/export/{}",
                "GET /api/deck/definitions/{}", "PUT /api/spawn/process/{}/config"));
        String[] mp = template.split(" ", 2);
        String path = mp[1].replace("{}", encode(id));
        byte[] body = mp[0].equals("PUT") ? "{\"port\": 8080}".getBytes(StandardCharsets.UTF_8) : null;
        // an id with a '/' (or that the path reads as one) no longer matches the route: then the endpoint is refused
        // the engine shows an id printable (control characters escaped), the API's own checks as it came
        // (an empty id or a '/' in it changes which route the path is, or which id: then the route or that id is named)
        String named = id.isEmpty() ? "no agent \"\"|no such endpoint|not allowed"
                : "\"" + id + "\"|\"" + dev.agentdeck.core.SpecValidator.printable(id) + "\"|no such endpoint|not allowed"
                + (id.contains("/") ? "|no agent" : "");
        return new Case("hostile id " + HostileInputs.shown(id), mp[0], path, body, List.of(named));
    }

    private Case badQuery(HostileInputs in) {
        String[][] params = {
                {"GET /api/spawn/process/keeper/logs", "lines", "abc", "-1", "0", "10001", "1e3", "99999999999999999999"},
                {"GET /api/spawn/process/keeper/logs", "level", "bogus", "ERROR;rm -rf /", "../x"},
                {"GET /api/spawn/process/keeper/logs", "follow", "maybe", "2"},
                {"GET /api/spawn/processes", "status", "bogus", "running,../x"},
                {"GET /api/spawn/processes", "limit", "0", "-1", "x"},
                {"GET /api/spawn/processes", "offset", "-1", "x"},
                {"GET /api/spawn/history/events", "type", "bogus", "spawned,$(id)"},
                {"GET /api/spawn/history/events", "from", "yesterday", "2026-13-45T00:00:00Z"},
                {"GET /api/spawn/history/events", "limit", "0", "10001"},
                {"GET /api/spawn/process/keeper/runs", "limit", "0", "x"},
                {"GET /api/deck/logs/keeper/chunk", "stream", "x", "OUT", "../keeper.out.log"},
                {"GET /api/deck/logs/keeper/chunk?stream=out", "before", "-1", "x"},
                {"GET /api/deck/samples/keeper?to=2026-01-01T00:00:00Z", "from", "x", "../../etc"},
                {"GET /api/deck/export-as", "format", "zip", "../x"},
                {"POST /api/deck/agents/keeper/signal", "signal", "BOGUS", "9;rm", "$(kill -9 1)"},
                {"POST /api/deck/scale/keeper", "instances", "abc", "1.5"}};
        String[] p = params[in.random().nextInt(params.length)];
        String value = p[2 + in.random().nextInt(p.length - 2)];
        String[] mp = p[0].split(" ", 2);
        String path = mp[1] + (mp[1].contains("?") ? "&" : "?") + p[1] + "=" + encode(value);
        return new Case("query " + p[1] + "=" + value, mp[0], path, null, List.of(p[1]));
    }

    private Case badBody(HostileInputs in) {
        String[] endpoints = {"POST /api/spawn/process/keeper/signal", "POST /api/spawn/process/keeper/stop",
                "POST /api/spawn/process/keeper/scale", "POST /api/spawn/from-template", "POST /api/spawn/start-all",
                "POST /api/spawn/stop-all", "POST /api/spawn/reload", "DELETE /api/spawn/process/keeper",
                "POST /api/spawn/process/keeper/restart", "POST /api/spawn/process", "PUT /api/spawn/process/keeper/config"};
        String[] mp = in.pick(List.of(endpoints)).split(" ", 2);
        int kind = in.random().nextInt(8);
        byte[] body;
        String named;
        switch (kind) {
            case 0 -> {
                body = bytes("{\"signal\": \"TE");
                named = "line ";
            }
            case 1 -> {
                body = bytes("signal=TERM&graceful=false");
                named = "line ";
            }
            case 2 -> {
                body = HostileInputs.splice(bytes("{\"x\": \"ab\"}"), 8, new byte[]{(byte) 0xc0, (byte) 0xaf});
                named = "UTF-8";
            }
            case 3 -> {
                body = bytes("{\"a\": " + "[".repeat(5_000));
                named = "depth";
            }
            case 4 -> {
                body = bytes("\u0000\u0000{}");
                named = "line ";
            }
            case 5 -> {
                body = bytes("{\"version\": 1} trailing");
                named = "line ";
            }
            case 6 -> {
                body = bytes("[\"TERM\"]");
                named = "JSON object|must be an object|not an agent|of the fields";
            }
            default -> {
                // a field the endpoint does not take, or a known one of the wrong type
                String path = mp[1];
                if (path.endsWith("/signal")) {
                    body = bytes(in.pick(List.of("{\"signal\": 15}", "{\"signal\": \"BOGUS\"}", "{\"signal\": null}")));
                    named = "signal";
                } else if (path.endsWith("/stop")) {
                    body = bytes("{\"graceful\": \"yes\"}");
                    named = "graceful";
                } else if (path.endsWith("/scale")) {
                    body = bytes(in.pick(List.of("{\"instances\": \"many\"}", "{\"instances\": 1.5}", "{}")));
                    named = "instances";
                } else if (path.endsWith("/from-template")) {
                    body = bytes(in.pick(List.of("{\"templateId\": 5}", "{\"overrides\": \"x\"}")));
                    named = "templateId|overrides";
                } else if (path.equals("/api/spawn/process")) {
                    body = bytes("{\"id\": \"x-1\", \"command\": \"sleep\", \"cmd\": \"rm -rf /\"}");
                    named = "unknown field \"cmd\"";
                } else if (path.endsWith("/config")) {
                    body = bytes("{\"comand\": \"rm -rf /\"}");
                    named = "unknown field \"comand\"";
                } else {
                    body = bytes("{\"all\": true}");
                    named = "unknown field \"all\"";
                }
            }
        }
        return new Case("body kind " + kind, mp[0], mp[1], body, List.of(named));
    }

    /** An agent in the wire form a remote panel sends, bound fine but invalid: the engine names the field. */
    private Case badWireAgent(HostileInputs in, int i) {
        ObjectNode a = HostileInputs.baseAgent("w-" + i);
        int v = in.random().nextInt(7);
        String named;
        switch (v) {
            case 0 -> {
                a.put("id", in.pick(HostileInputs.BAD_IDS.stream().filter(s -> !s.isEmpty()).toList()));
                named = "id";
            }
            case 1 -> {
                a.put("port", in.pick(List.of(0, 70000, -1)));
                named = "port";
            }
            case 2 -> {
                a.put("instances", in.pick(List.of(101, -3)));
                named = "instances";
            }
            case 3 -> {
                String f = in.pick(List.of("name", "command", "cwd"));
                a.put(f, "a\u001bb");
                named = f;
            }
            case 4 -> {
                a.putArray("args").add("a\u0000b");
                named = "args[0]";
            }
            case 5 -> {
                a.putObject("env").put("A-B", "x");
                named = "env name";
            }
            default -> {
                a.putArray("tags").add(" ");
                named = "tags[0]";
            }
        }
        return new Case("wire agent variant " + v + " " + HostileInputs.shown(a.toString()), "POST", "/api/deck/agents",
                json(a), List.of(named));
    }

    /** {@code ../} in cwd, envFile and command: refused (nothing there), and nothing is made there. */
    private Case traversal(HostileInputs in, int i) {
        ObjectNode a = HostileInputs.baseAgent("t-" + i);
        String where = in.pick(List.of("../nope-" + i + "/x", "../../../nope-" + i, tmp.resolve("home/../nope-" + i).toString(),
                "./../nope-" + i));
        String field = in.pick(List.of("cwd", "envFile", "command"));
        a.put(field, where);
        return new Case(field + " " + where, "POST", "/api/spawn/process", json(a), List.of(field, "does not exist"));
    }

    private Resp send(String method, String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + api.token()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String raw = new String(r.body(), StandardCharsets.UTF_8);
        JsonNode json = null;
        try {
            json = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            // the raw text is reported
        }
        return new Resp(r.statusCode(), json, raw);
    }

    /** Every path under the test's folder (the home and around it), relative to it. */
    private Set<String> files() throws IOException {
        try (var all = Files.walk(tmp)) {
            return new TreeSet<>(all.filter(p -> !p.equals(tmp)).map(p -> tmp.relativize(p).toString()).toList());
        }
    }

    private static byte[] json(JsonNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Percent-encodes every byte but letters, digits and "-._~" ('/' too, so an id stays one segment unless decoded). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
