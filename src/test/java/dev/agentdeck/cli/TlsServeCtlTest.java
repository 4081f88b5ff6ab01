package dev.agentdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.api.ApiInfo;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Ctl;
import dev.agentdeck.testutil.ServeProcess;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.tls.Fingerprint;
import dev.agentdeck.tls.KnownEngines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agentdeck serve --tls} as a real process, reached by {@code agentdeck ctl} over https with pinning. */
class TlsServeCtlTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PRINTED = Pattern.compile("TLS certificate: (SHA256 [0-9A-F:]{95})");
    @TempDir
    Path tmp;
    private TestHome home;
    private final List<Process> serves = new ArrayList<>();
    private String savedPins;
    private Path pins;

    @BeforeEach
    void privatePins() {
        // never the real ~/.config/agentdeck/known-engines.json
        savedPins = System.getProperty(KnownEngines.PROPERTY);
        pins = tmp.resolve("client").resolve("known-engines.json");
        System.setProperty(KnownEngines.PROPERTY, pins.toString());
    }

    @AfterEach
    void tearDown() {
        if (savedPins == null) {
            System.clearProperty(KnownEngines.PROPERTY);
        } else {
            System.setProperty(KnownEngines.PROPERTY, savedPins);
        }
        ServeProcess.stopAll(serves);
    }

    private Process serve(String... args) throws IOException {
        Process p = ServeProcess.start(home.dir(), serveOutput(serves.size()), List.of(), args);
        serves.add(p);
        return p;
    }

    private Path serveOutput(int n) {
        return tmp.resolve("serve-" + n + ".out");
    }

    private Ctl ctl(String... args) {
        return Ctl.run(home.dir(), args);
    }

    /** Waits until the serve started last listens, and returns the fingerprint it printed. */
    private String listening(Process serve) throws IOException {
        Path out = serveOutput(serves.indexOf(serve));
        Await.until("serve " + serve.pid() + " wrote api.json and its fingerprint", WAIT, () -> {
            try {
                ApiInfo info = ApiInfo.read(home.workspace().apiJson());
                return (info != null && info.pid() == serve.pid() && PRINTED.matcher(Files.readString(out)).find())
                        || !serve.isAlive();
            } catch (IOException e) {
                return false; // being written
            }
        });
        Matcher m = PRINTED.matcher(Files.readString(out));
        assertTrue(m.find(), "serve printed its fingerprint: " + Files.readString(out));
        return m.group(1);
    }

    private static void stop(Process serve) throws InterruptedException {
        serve.destroy(); // SIGTERM
        assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve ended");
    }

    /** The fingerprint of the certificate in the home's keystore, computed here without AgentDeck's code. */
    private String keystoreFingerprint() throws Exception {
        Path dir = home.workspace().dataDir().resolve("tls");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("engine.p12"))) {
            ks.load(in, Files.readString(dir.resolve("engine.p12.password")).trim().toCharArray());
        }
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(ks.getCertificate(ks.aliases().nextElement()).getEncoded());
        return "SHA256 " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha);
    }

    private String agentState(String id) throws IOException {
        Ctl status = ctl("status", "--json", id);
        assertEquals(0, status.exit(), status.err());
        JsonNode rows = Json.MAPPER.readTree(status.out());
        return rows.get(0).get("status").asText();
    }

    @Test
    void ctlPinsTheEngineOnFirstUseAndRefusesACertificateThatChanged() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
                """);
        Process first = serve("--tls", "--api-address", "0.0.0.0", "--api-port", "0");
        String fingerprint = listening(first);
        assertEquals(keystoreFingerprint(), fingerprint, "the printed fingerprint is the keystore's certificate's");
        ApiInfo info = ApiInfo.read(home.workspace().apiJson());
        assertEquals(fingerprint, info.fingerprint());
        int port = info.port();
        String url = "https://127.0.0.1:" + port;
        assertEquals(url, info.url());
        String said = Files.readString(serveOutput(0));
        assertTrue(said.contains("API: " + url + ", listening on 0.0.0.0:" + port), said);
        String token = home.workspace().apiToken().toString();
        String key = "127.0.0.1:" + port;

        Ctl pinned = ctl("--url", url, "--token-file", token, "status");
        assertEquals(0, pinned.exit(), pinned.err());
        assertTrue(pinned.out().contains("a ") && pinned.out().contains("stopped"), pinned.out());
        assertEquals("agentdeck ctl: pinned the certificate of " + key + ": " + fingerprint + " (in " + pins + ")\n", pinned.err());
        assertEquals(Fingerprint.parse(fingerprint), new KnownEngines(pins).find(key).orElseThrow().fingerprint());
        Ctl again = ctl("--url", url, "--token-file", token, "status");
        assertEquals(0, again.exit(), again.err());
        assertEquals("", again.err(), "pinned once");
        Ctl local = ctl("status");
        assertEquals(0, local.exit(), "the home's own engine is trusted by api.json's fingerprint: " + local.err());

        Path wrongToken = tmp.resolve("wrong.token");
        Files.writeString(wrongToken, "not-the-token\n");
        Ctl unauthorized = ctl("--url", url, "--token-file", wrongToken.toString(), "start", "a");
        assertEquals(1, unauthorized.exit());
        assertTrue(unauthorized.err().contains("the token is wrong"), unauthorized.err());
        String other = "SHA256:" + "AB:".repeat(31) + "AB";
        Ctl wrongFingerprint = ctl("--url", url, "--token-file", token, "--fingerprint", other, "start", "a");
        assertEquals(5, wrongFingerprint.exit());
        assertTrue(wrongFingerprint.err().contains("the TLS certificate of " + key + " is " + fingerprint
                + ", not the expected " + Fingerprint.parse(other)), wrongFingerprint.err());
        assertEquals("stopped", agentState("a"));

        // a restart keeps the certificate, so the pin holds
        stop(first);
        Process second = serve("--tls", "--api-address", "0.0.0.0", "--api-port", String.valueOf(port));
        assertEquals(fingerprint, listening(second));
        Ctl afterRestart = ctl("--url", url, "--token-file", token, "status");
        assertEquals(0, afterRestart.exit(), afterRestart.err());
        assertEquals("", afterRestart.err());

        // a new certificate is refused until it is accepted
        stop(second);
        deleteTree(home.workspace().dataDir().resolve("tls"));
        Process third = serve("--tls", "--api-address", "0.0.0.0", "--api-port", String.valueOf(port));
        String renewed = listening(third);
        assertNotEquals(fingerprint, renewed);
        byte[] pinsBefore = Files.readAllBytes(pins);
        Ctl refused = ctl("--url", url, "--token-file", token, "start", "a");
        assertEquals(5, refused.exit(), refused.err());
        for (String part : List.of("the TLS certificate of " + key + " has changed", "pinned as " + fingerprint,
                "now presents " + renewed, "Nothing was sent", "--fingerprint SHA256:" + renewed.substring(7),
                "deleting the line \"" + key + "\" from " + pins)) {
            assertTrue(refused.err().contains(part), part + " in: " + refused.err());
        }
        assertArrayEquals(pinsBefore, Files.readAllBytes(pins), "the old pin stands");
        assertEquals("stopped", agentState("a"), "nothing was done");

        Ctl accepted = ctl("--url", url, "--token-file", token, "--fingerprint", "SHA256:" + renewed.substring(7), "status");
        assertEquals(0, accepted.exit(), accepted.err());
        assertTrue(accepted.err().contains("pinned the certificate of " + key + ": " + renewed)
                && accepted.err().contains("it replaces " + fingerprint), accepted.err());
        Ctl afterAccept = ctl("--url", url, "--token-file", token, "status");
        assertEquals(0, afterAccept.exit(), afterAccept.err());
        assertEquals("", afterAccept.err());
    }

    @Test
    void fingerprintIsForHttpsUrls() {
        home = new TestHome(tmp.resolve("home"));
        Ctl plain = ctl("--url", "http://127.0.0.1:1", "--fingerprint", "AB:CD", "status");
        assertEquals(2, plain.exit());
        assertTrue(plain.err().contains("--fingerprint goes with --url https://HOST:PORT"), plain.err());
        Ctl bad = ctl("--url", "https://127.0.0.1:1", "--fingerprint", "AB:CD", "status");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--fingerprint \"AB:CD\" is not a SHA-256 fingerprint"), bad.err());
        Ctl notUrl = ctl("--url", "127.0.0.1:7700", "status");
        assertEquals(2, notUrl.exit());
        assertTrue(notUrl.err().contains("must be http://HOST:PORT or https://HOST:PORT"), notUrl.err());
        assertFalse(Files.exists(pins), "nothing was pinned");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void anAddressOtherMachinesCanReachNeedsTls() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        Process p = serve("--api-address", "0.0.0.0", "--api-port", "0");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "serve ended");
        assertEquals(2, p.exitValue());
        String said = Files.readString(serveOutput(0));
        assertTrue(said.contains("--api-address 0.0.0.0 can be reached from other machines"), said);
        assertTrue(said.contains("add --tls") && said.contains("SSH tunnel") && said.contains("127.0.0.1"), said);
        assertFalse(Files.exists(home.workspace().apiJson()), "nothing listened");
        assertFalse(Files.exists(home.workspace().engineLock()), "refused before taking the home");
    }
}
