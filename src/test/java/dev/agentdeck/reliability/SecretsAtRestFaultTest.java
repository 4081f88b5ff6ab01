package dev.agentdeck.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.api.ApiInfo;
import dev.agentdeck.api.ApiToken;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.ServeProcess;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault: secrets at rest. A real {@code serve} on a home it creates runs an agent with secrets in its env (a key,
 * and a password inside an innocently named URL), changes the key through the API, saves the agent as a template,
 * rotates the agent's logs, and stops; then the home is loosened as an older AgentDeck left homes (files 0644,
 * folders 0755) and served again, twice. While it runs and after, no file or folder under the home is open to
 * group or others (history.db's -wal and -shm, engine.lock, the engine's log and its lock included), the
 * loosening is put right and said once, and no file but agents.json and its backup holds a secret's bytes
 * (gzipped log parts unpacked first).
 */
@Tag("reliability")
class SecretsAtRestFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String KEY_BEFORE = "k-at-rest-1f";
    private static final String KEY_AFTER = "k-at-rest-3e";
    private static final String URL_PASSWORD = "pw-at-rest-2d";
    @TempDir
    Path tmp;
    private Path homeDir;
    private Workspace ws;
    private final List<Process> serves = new ArrayList<>();
    private final List<Long> agents = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void tearDown() {
        ServeProcess.stopAll(serves);
        Procs.killAll(agents);
    }

    @Test
    void nothingUnderAHomeIsOpenToOthersAndNoFileButAgentsJsonHoldsASecret() throws Exception {
        homeDir = tmp.resolve("fresh/home");
        ws = Workspace.home(homeDir);
        Path talker = tmp.resolve("bin/talker");
        TestHome.write(talker, """
                #!/bin/sh
                n=0
                while [ $n -lt 40 ]; do
                  i=0
                  while [ $i -lt 40 ]; do echo "talker line $n.$i: nothing secret here, just padding to fill the log"; i=$((i+1)); done
                  echo "talker warning $n" >&2
                  n=$((n+1))
                  sleep 0.1
                done
                exec sleep 300
                """);
        Files.setPosixFilePermissions(talker, PosixFilePermissions.fromString("rwxr-xr-x"));

        Process first = serve();
        JsonNode added = call("POST", "/api/spawn/process", """
                {"id": "talker", "command": "%s", "env": {"API_KEY": "%s",
                 "DATABASE_URL": "postgres://app:%s@db/app", "MODE": "prod"}}""".formatted(talker, KEY_BEFORE, URL_PASSWORD));
        agents.add(added.path("data").path("pid").asLong());
        call("PUT", "/api/spawn/process/talker/config", "{\"env\": {\"API_KEY\": \"" + KEY_AFTER + "\"}}");
        call("POST", "/api/deck/templates", "{\"agentId\": \"talker\", \"templateId\": \"talker-template\"}");
        Await.until("the talker logged", WAIT, () -> size(homeDir.resolve("logs/talker.out.log")) > 0);
        assertPrivate("while the first serve runs");
        call("POST", "/api/spawn/process/talker/stop", null);
        stop(first);
        assertEquals("rwx------", mode(homeDir), "the home serve made");

        List<Path> loosened = loosen();
        TestHome.write(homeDir.resolve("settings.json"), "{\"logMaxBytes\": 4096, \"logKeep\": 3}");
        Process second = serve();
        JsonNode said = Await.value("the tightening is in the history", WAIT,
                () -> call("GET", "/api/spawn/history/events?type=permissions_tightened", null).path("data"), e -> e.size() > 0);
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).path("message").asText().contains(homeDir.toString()), said.toString());
        assertEquals(loosened.size() + 1, said.get(0).at("/details/files").asInt() + said.get(0).at("/details/folders").asInt(),
                "every loosened entry and the new settings.json, counted once: " + said);
        agents.add(call("POST", "/api/spawn/process/talker/start", null).path("data").path("pid").asLong());
        Await.until("the talker's log rotated twice", WAIT, () -> Files.exists(homeDir.resolve("logs/talker.out.log.2.gz")));
        assertPrivate("while the second serve runs");
        call("POST", "/api/spawn/process/talker/stop", null);
        stop(second);

        Process third = serve();
        call("GET", "/api/spawn/process/talker/export", null); // waits for what the engine recorded so far
        assertEquals(1, call("GET", "/api/spawn/history/events?type=permissions_tightened", null).path("data").size(),
                "not said again");
        stop(third);

        assertPrivate("after the serves stopped");
        String config = Files.readString(ws.agentsFile());
        assertTrue(config.contains(KEY_AFTER) && config.contains(URL_PASSWORD), "agents.json keeps the real values");
        assertTrue(Files.readString(homeDir.resolve("agents.json.bak")).contains(KEY_BEFORE), "and so does its backup");
        List<String> searched = new ArrayList<>();
        for (Path f : files()) {
            String name = f.getFileName().toString();
            if (name.equals("agents.json") || name.equals("agents.json.bak")) {
                continue;
            }
            String text = new String(content(f), StandardCharsets.ISO_8859_1);
            for (String secret : List.of(KEY_BEFORE, KEY_AFTER, URL_PASSWORD)) {
                assertTrue(!text.contains(secret), homeDir.relativize(f) + " holds " + secret);
            }
            searched.add(homeDir.relativize(f).toString());
        }
        for (String expected : List.of("history.db", "agentdeck-0.log", "logs/talker.out.log", "logs/talker.out.log.1",
                "logs/talker.out.log.2.gz", "logs/talker.err.log", "templates/talker-template.json", "settings.json")) {
            assertTrue(searched.contains(expected), expected + " was searched: " + searched);
        }
    }

    private Process serve() throws IOException {
        Process p = ServeProcess.start(homeDir, tmp.resolve("serve-" + serves.size() + ".out"), List.of(), "--api-port", "0");
        serves.add(p);
        Await.until("serve wrote api.json", WAIT, () -> Files.exists(ws.apiJson()) && pidOfApi() == p.pid());
        return p;
    }

    private long pidOfApi() {
        try {
            ApiInfo info = ApiInfo.read(ws.apiJson());
            return info == null ? -1 : info.pid();
        } catch (IOException e) {
            return -1;
        }
    }

    private void stop(Process p) throws InterruptedException {
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stopped on TERM");
    }

    private JsonNode call(String method, String path, String body) {
        try {
            ApiInfo info = ApiInfo.read(ws.apiJson());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(info.url() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + ApiToken.read(ws.apiToken()))
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
            return Json.MAPPER.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    /** Makes every file 0644 and every folder below the home 0755, as an older AgentDeck left them. */
    private List<Path> loosen() throws IOException {
        List<Path> changed = new ArrayList<>();
        try (Stream<Path> all = Files.walk(homeDir)) {
            for (Path p : all.toList()) {
                if (p.equals(homeDir) || Files.isSymbolicLink(p)) {
                    continue;
                }
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                if (!p.getFileName().toString().equals("api.token")) { // that one is replaced, not counted
                    changed.add(p);
                }
            }
        }
        return changed;
    }

    /** Every file and folder under the home, the home included, gives group and others nothing. */
    private void assertPrivate(String when) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> all = Files.walk(homeDir)) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> perms;
                try {
                    perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a temp file that went while we walked
                }
                if (perms.stream().anyMatch(x -> !x.name().startsWith("OWNER_"))) {
                    open.add(homeDir.relativize(p) + " " + PosixFilePermissions.toString(perms));
                }
            }
        }
        assertTrue(open.isEmpty(), when + ", open to others: " + open);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(homeDir)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    private static byte[] content(Path f) throws IOException {
        byte[] raw = Files.readAllBytes(f);
        if (!f.getFileName().toString().endsWith(".gz")) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            byte[] unpacked = in.readAllBytes();
            byte[] both = new byte[raw.length + unpacked.length];
            System.arraycopy(raw, 0, both, 0, raw.length);
            System.arraycopy(unpacked, 0, both, raw.length, unpacked.length);
            return both;
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
