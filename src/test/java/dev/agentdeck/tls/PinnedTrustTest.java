package dev.agentdeck.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pinned https with {@code java.net.http} against real TLS servers on 127.0.0.1 whose self-signed certificates
 * name only {@code elsewhere.example}: the pin is what is trusted, not a CA and not the name.
 */
class PinnedTrustTest {
    @TempDir
    Path tmp;
    private final List<HttpsServer> servers = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A certificate for elsewhere.example only (not 127.0.0.1, which the test connects to). */
    private EngineCertificate elsewhere(String name) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(EngineCertificate.PASSWORD), "password-" + name + "\n");
        EngineCertificate.runKeytool(EngineCertificate.defaultKeytool(), List.of("-genkeypair", "-alias", "agentdeck",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30", "-dname", "CN=elsewhere.example",
                "-ext", "SAN=dns:elsewhere.example", "-storetype", "PKCS12",
                "-keystore", dir.resolve(EngineCertificate.KEYSTORE).toString(),
                "-storepass:file", dir.resolve(EngineCertificate.PASSWORD).toString()), dir);
        return EngineCertificate.loadOrCreate(dir, InetAddress.getLoopbackAddress(), tmp.resolve("unused"));
    }

    private URI serve(EngineCertificate cert) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
        s.setHttpsConfigurator(new HttpsConfigurator(cert.sslContext()));
        s.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        s.start();
        servers.add(s);
        return URI.create("https://127.0.0.1:" + s.getAddress().getPort());
    }

    private static String get(HttpClient http, URI url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve("/x")).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void thePinReplacesTheCaAndTheHostNameAndIsTakenOnFirstUse() throws Exception {
        EngineCertificate a = elsewhere("a");
        URI url = serve(a);
        assertThrows(IOException.class, () -> get(HttpClient.newHttpClient(), url), "no CA vouches for it");
        // Trusted as a CA but for another name: java.net.http checks the name and refuses.
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("a", a.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext byCa = SSLContext.getInstance("TLS");
        byCa.init(null, tmf.getTrustManagers(), null);
        IOException wrongName = assertThrows(IOException.class, () -> get(HttpClient.newBuilder().sslContext(byCa).build(), url));
        assertTrue(String.valueOf(wrongName.getMessage()).contains("No subject alternative names matching IP address 127.0.0.1"),
                "refused on the name: " + wrongName);
        assertEquals(0, requests.get());

        KnownEngines pins = new KnownEngines(tmp.resolve("pins").resolve("known-engines.json"));
        List<String> said = new CopyOnWriteArrayList<>();
        assertEquals("ok", get(PinnedTrust.newClient(url, pins, null, said::add), url));
        String key = "127.0.0.1:" + url.getPort();
        assertEquals(List.of("pinned the certificate of " + key + ": " + a.fingerprint() + " (in " + pins.file() + ")"), said);
        assertEquals(a.fingerprint(), pins.find(key).orElseThrow().fingerprint());
        assertEquals("ok", get(PinnedTrust.newClient(url, new KnownEngines(pins.file()), null, said::add), url));
        assertEquals(1, said.size(), "pinned once");
        assertEquals(2, requests.get());
    }

    @Test
    void aChangedOrUnexpectedCertificateIsRefusedBeforeAnythingIsSent() throws Exception {
        EngineCertificate a = elsewhere("a");
        EngineCertificate b = elsewhere("b");
        URI url = serve(b);
        String key = KnownEngines.key(url);
        KnownEngines pins = new KnownEngines(tmp.resolve("known-engines.json"));
        pins.pin(key, a.fingerprint());
        byte[] before = Files.readAllBytes(pins.file());

        IOException changed = assertThrows(IOException.class, () -> get(PinnedTrust.newClient(url, pins, null, null), url));
        CertificatePinException why = PinnedTrust.refusal(changed).orElseThrow(() -> new AssertionError(changed));
        assertEquals(CertificatePinException.Kind.CHANGED, why.kind());
        assertEquals(key, why.hostPort());
        assertEquals(a.fingerprint(), why.pinned());
        assertEquals(b.fingerprint(), why.presented());
        for (String part : List.of("the TLS certificate of " + key + " has changed", a.fingerprint().toString(),
                b.fingerprint().toString(), "--fingerprint SHA256:" + b.fingerprint().hex(), "\"" + key + "\" from " + pins.file())) {
            assertTrue(why.getMessage().contains(part), part + " in: " + why.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(pins.file()), "the pin stands");

        IOException unexpected = assertThrows(IOException.class, () -> get(PinnedTrust.newClient(url, null, a.fingerprint(), null), url));
        CertificatePinException not = PinnedTrust.refusal(unexpected).orElseThrow();
        assertEquals(CertificatePinException.Kind.NOT_EXPECTED, not.kind());
        assertTrue(not.getMessage().contains("is " + b.fingerprint() + ", not the expected " + a.fingerprint()), not.getMessage());
        assertEquals(0, requests.get(), "nothing reached the server");

        List<String> said = new ArrayList<>();
        assertEquals("ok", get(PinnedTrust.newClient(url, pins, b.fingerprint(), said::add), url));
        assertEquals(b.fingerprint(), pins.find(key).orElseThrow().fingerprint(), "the vouched-for certificate is the pin now");
        assertTrue(said.get(0).endsWith("; it replaces " + a.fingerprint() + ")"), said.toString());
        assertEquals("ok", get(PinnedTrust.newClient(url, pins, null, null), url));
    }

    @Test
    void theKnownEnginesFileIsOneEngineALineAndForgivesADeletedLine() throws Exception {
        KnownEngines pins = new KnownEngines(tmp.resolve("known-engines.json"));
        Fingerprint one = Fingerprint.of(new byte[]{1});
        Fingerprint two = Fingerprint.of(new byte[]{2});
        pins.pin("192.0.2.1:7700", one);
        pins.pin("[::1]:7700", two);
        List<String> lines = Files.readAllLines(pins.file());
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("  \"192.0.2.1:7700\": {\"fingerprint\":\"" + one + "\",\"pinnedAt\":\""), lines.get(1));
        Files.write(pins.file(), List.of(lines.get(0), lines.get(1), lines.get(3))); // the last entry deleted by hand
        assertEquals(List.of("192.0.2.1:7700"), List.copyOf(pins.all().keySet()));
        pins.pin("[::1]:7700", two);
        assertEquals(2, pins.all().size());

        Files.writeString(pins.file(), "{\"192.0.2.1:7700\": {\"fingerprint\": \"AB:CD\"}}");
        IOException damaged = assertThrows(IOException.class, () -> pins.find("192.0.2.1:7700"));
        assertTrue(damaged.getMessage().contains(pins.file() + ": the entry of 192.0.2.1:7700 is damaged"), damaged.getMessage());

        assertEquals("[::1]:7700", KnownEngines.key(URI.create("https://[::1]:7700/api")));
        assertEquals("engine.lan:443", KnownEngines.key(URI.create("https://Engine.LAN/")));
        assertEquals("127.0.0.1:7701", KnownEngines.key(URI.create("https://127.0.0.1:7701")));
    }

    @Test
    void theDefaultFileIsTheUsersNotTheHomes() {
        String saved = System.getProperty(KnownEngines.PROPERTY);
        try {
            System.clearProperty(KnownEngines.PROPERTY);
            Map<String, String> env = Map.of("XDG_CONFIG_HOME", tmp.resolve("cfg").toString(), "AGENTDECK_HOME", tmp.resolve("home").toString());
            if (System.getProperty("os.name").toLowerCase().contains("linux")) {
                assertEquals(tmp.resolve("cfg").resolve("agentdeck").resolve("known-engines.json"), KnownEngines.defaultFile(env));
            }
            System.setProperty(KnownEngines.PROPERTY, tmp.resolve("mine.json").toString());
            assertEquals(tmp.resolve("mine.json"), KnownEngines.defaultFile(env));
            assertEquals(tmp.resolve("mine.json"), KnownEngines.user().file());
        } finally {
            if (saved == null) {
                System.clearProperty(KnownEngines.PROPERTY);
            } else {
                System.setProperty(KnownEngines.PROPERTY, saved);
            }
        }
        assertFalse(Files.exists(tmp.resolve("mine.json")), "looking up the file does not write it");
    }
}
