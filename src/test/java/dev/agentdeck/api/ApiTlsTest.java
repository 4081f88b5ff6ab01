package dev.agentdeck.api;

import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.config.Json;
import dev.agentdeck.tls.Fingerprint;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API over TLS: https with the workspace's certificate, its fingerprint in api.json, and who may call it. */
class ApiTlsTest extends ApiTestBase {
    private static final String ONE = """
            {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
            """;
    private String protocol;

    @Test
    void onLoopbackItServesHttpsWithTheCertificateInApiJsonAndKeepsTheHostRule() throws Exception {
        open(ONE, new ApiOptions(true, "127.0.0.1", 0, true, true, true));
        assertTrue(api.url().equals("https://127.0.0.1:" + api.port()), api.url());
        var info = Json.MAPPER.readTree(home.workspace().apiJson().toFile());
        assertEquals(api.url(), info.get("url").asText());
        assertEquals(keystoreFingerprint().toString(), info.get("fingerprint").asText());
        assertEquals(api.fingerprint(), info.get("fingerprint").asText());
        assertEquals(api.fingerprint(), ApiInfo.read(home.workspace().apiJson()).fingerprint());

        String ok = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer "
                + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
        assertEquals("TLSv1.3", protocol);
        String tls12 = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + api.token() + "\r\nConnection: close\r\n\r\n", "TLSv1.2");
        assertTrue(tls12.startsWith("HTTP/1.1 200"), tls12);
        assertEquals("TLSv1.2", protocol);

        String wrongToken = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + api.token() + "x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(wrongToken.startsWith("HTTP/1.1 401") && wrongToken.contains("the token is wrong"), wrongToken);
        String rebinding = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: evil.example:" + api.port()
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebinding.startsWith("HTTP/1.1 403") && rebinding.contains("https://127.0.0.1:" + api.port()), rebinding);
        assertEquals("stopped", engine.status("a").orElseThrow().state().name().toLowerCase());

        ApiClient client = new ApiClient(api.url(), api.token(), null, Fingerprint.parse(api.fingerprint()), null);
        assertEquals("a", client.get("/api/spawn/processes").get("data").get(0).get("id").asText());
        List<String> events = new ArrayList<>();
        client.stream("/api/spawn/events", "0", e -> {
            events.add(e.name());
            return !e.name().equals("live");
        });
        assertEquals("live", events.get(events.size() - 1), "server-sent events over TLS: " + events);

        var http = assertThrows(dev.agentdeck.cli.CtlException.class,
                () -> new ApiClient(api.url().replace("https:", "http:"), api.token()).get("/api/spawn/processes"));
        assertEquals(3, http.exitCode());
        assertTrue(http.getMessage().contains("use an https:// URL"), http.getMessage());
        assertThrows(IOException.class, () -> plain("GET /api/spawn/processes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n"), "no plain http on the TLS port");
    }

    @Test
    void onAllAddressesAnyHostPassesButTheTokenAndTheOriginRulesStand() throws Exception {
        open(ONE, new ApiOptions(true, "0.0.0.0", 0, true, true, true));
        assertEquals("https://127.0.0.1:" + api.port(), api.url());
        String named = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: engine.lan:" + api.port()
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(named.startsWith("HTTP/1.1 200"), "any name of this machine: " + named);
        String noToken = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: engine.lan:" + api.port()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(noToken.startsWith("HTTP/1.1 401"), noToken);
        String fromPage = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: engine.lan:" + api.port()
                + "\r\nOrigin: https://engine.lan:" + api.port() + "\r\nAuthorization: Bearer " + api.token()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(fromPage.startsWith("HTTP/1.1 403") && fromPage.contains("forbidden_origin"), fromPage);
        String crossSite = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: engine.lan\r\nSec-Fetch-Site: cross-site"
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(crossSite.startsWith("HTTP/1.1 403"), crossSite);
        assertEquals("stopped", engine.status("a").orElseThrow().state().name().toLowerCase(), "nothing was started");
    }

    @Test
    void theCertificateIsMadeOnceAndKeptAcrossRestarts() throws Exception {
        open(ONE, new ApiOptions(true, "127.0.0.1", 0, true, true, true));
        String first = api.fingerprint();
        api.close();
        api = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true, true), "serve", null);
        assertEquals(first, api.fingerprint());
        api.close();
        api = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true, false), "serve", null);
        assertNull(api.fingerprint(), "without --tls: plain http");
        assertTrue(api.url().startsWith("http://"), api.url());
        assertFalse(Json.MAPPER.readTree(home.workspace().apiJson().toFile()).has("fingerprint"));
    }

    @Test
    void theOptionsAndAnOldApiJson() throws Exception {
        assertTrue(ApiOptions.parse(List.of("--tls", "--api-address", "0.0.0.0"), ApiOptions.DEFAULT).options().tls());
        assertFalse(ApiOptions.DEFAULT.tls());
        new ApiOptions(true, "0.0.0.0", 0, true, true, true).bindAddress();
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> new ApiOptions(true, "0.0.0.0", 7710, true, true, false).bindAddress());
        assertTrue(plain.getMessage().contains("--api-address 0.0.0.0 can be reached from other machines"), plain.getMessage());
        assertTrue(plain.getMessage().contains("add --tls") && plain.getMessage().contains("ssh -L 7700:127.0.0.1:7710"),
                plain.getMessage());
        IllegalArgumentException noAuth = assertThrows(IllegalArgumentException.class,
                () -> new ApiOptions(true, "0.0.0.0", 0, true, false, true).bindAddress());
        assertTrue(noAuth.getMessage().contains("--no-auth is allowed only on a loopback address"), noAuth.getMessage());

        var old = tmp.resolve("old-api.json");
        Files.writeString(old, "{\"pid\": 12, \"port\": 7700, \"url\": \"http://127.0.0.1:7700\"}");
        assertEquals(new ApiInfo(12, 7700, "http://127.0.0.1:7700", null), ApiInfo.read(old));
    }

    /** The fingerprint of the certificate in the workspace's keystore, computed here without AgentDeck's code. */
    private Fingerprint keystoreFingerprint() throws Exception {
        var dir = home.workspace().dataDir().resolve("tls");
        char[] password = Files.readString(dir.resolve("engine.p12.password")).trim().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("engine.p12"))) {
            ks.load(in, password);
        }
        byte[] der = ks.getCertificate(ks.aliases().nextElement()).getEncoded();
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(der);
        return new Fingerprint(java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha));
    }

    /** One request over TLS, trusting only the certificate api.json names; records the protocol spoken. */
    private String raw(String request, String... protocols) throws Exception {
        Fingerprint expected = Fingerprint.parse(api.fingerprint());
        X509TrustManager only = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("a client only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!Fingerprint.of(chain[0]).equals(expected)) {
                    throw new CertificateException("not the engine's certificate");
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{only}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", api.port())) {
            s.setSoTimeout(15_000);
            if (protocols.length > 0) {
                s.setEnabledProtocols(protocols);
            }
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            protocol = s.getSession().getProtocol();
            return reply;
        }
    }

    private String plain(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!reply.startsWith("HTTP/1.1 200")) {
                throw new IOException("not served: " + reply);
            }
            return reply;
        }
    }
}
