package dev.agentdeck.api;

import dev.agentdeck.config.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may call the API: the token, the Host and Origin checks, the body limit, and the files it leaves. */
class ApiSecurityTest extends ApiTestBase {
    private static final String ONE = """
            {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]}]}
            """;

    @Test
    void everyRequestNeedsTheTokenWhichIsPrivateToTheUser() throws Exception {
        open(ONE);
        String token = Files.readString(home.workspace().apiToken()).trim();
        assertEquals(token, api.token());
        assertTrue(token.length() >= 40, token);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.workspace().apiToken())));
        Files.setPosixFilePermissions(home.workspace().apiToken(), PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(!token.equals(ApiToken.loadOrCreate(home.workspace().apiToken()).value()),
                "a token others could read may be known: it is replaced");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.workspace().apiToken())));

        Resp none = send(HttpRequest.newBuilder(java.net.URI.create(url("/api/spawn/processes"))).GET().build());
        assertEquals(401, none.status());
        assertTrue(none.error().contains("api.token"), none.error());
        Resp wrong = send(HttpRequest.newBuilder(java.net.URI.create(url("/api/spawn/process/a/start")))
                .header("Authorization", "Bearer " + token + "x").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(401, wrong.status());
        assertEquals("the token is wrong", wrong.error());
        assertEquals("stopped", engine.status("a").orElseThrow().state().name().toLowerCase(), "refused: nothing started");
        assertEquals(200, get("/api/spawn/processes").status());
    }

    @Test
    void theTokenSurvivesRestartsAndApiJsonNamesTheInstanceUntilItCloses() throws Exception {
        open(ONE);
        var info = Json.MAPPER.readTree(home.workspace().apiJson().toFile());
        assertEquals(ProcessHandle.current().pid(), info.get("pid").asLong());
        assertEquals(api.port(), info.get("port").asInt());
        assertEquals("http://127.0.0.1:" + api.port(), info.get("url").asText());
        String token = api.token();
        api.close();
        assertFalse(Files.exists(home.workspace().apiJson()), "removed on exit");
        api = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true), "serve", null);
        assertEquals(token, api.token());
    }

    @Test
    void aForeignHostOrOriginIsRefusedEvenWithTheToken() throws Exception {
        open(ONE);
        String rebinding = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: evil.example:" + api.port()
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebinding.startsWith("HTTP/1.1 403"), rebinding);
        assertTrue(rebinding.contains("is not a loopback name"), rebinding);
        String fromPage = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: 127.0.0.1:" + api.port()
                + "\r\nOrigin: https://evil.example\r\nAuthorization: Bearer " + api.token()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(fromPage.startsWith("HTTP/1.1 403"), fromPage);
        for (String origin : List.of("http://localhost:8080", "http://127.0.0.1:" + (api.port() + 1), "null")) {
            String page = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: 127.0.0.1:" + api.port()
                    + "\r\nOrigin: " + origin + "\r\nAuthorization: Bearer " + api.token()
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertTrue(page.startsWith("HTTP/1.1 403"), origin + ": " + page);
        }
        String rebound = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: 127.evil.example:" + api.port()
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 403"), "a name that starts like 127.x is not loopback: " + rebound);
        String crossSite = raw("POST /api/spawn/process/a/start HTTP/1.1\r\nHost: 127.0.0.1:" + api.port()
                + "\r\nSec-Fetch-Site: same-site\r\nAuthorization: Bearer " + api.token()
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(crossSite.startsWith("HTTP/1.1 403"), crossSite);
        assertEquals("stopped", engine.status("a").orElseThrow().state().name().toLowerCase());
        String own = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: localhost:" + api.port() + "\r\nOrigin: http://localhost:"
                + api.port() + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(own.startsWith("HTTP/1.1 200"), own);
        String local = raw("GET /api/spawn/processes HTTP/1.1\r\nHost: localhost:" + api.port()
                + "\r\nAuthorization: Bearer " + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(local.startsWith("HTTP/1.1 200"), local);
        String badQuery = raw("GET /api/spawn/processes?status=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + api.token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(badQuery.startsWith("HTTP/1.1 400"), badQuery);
    }

    @Test
    void bodiesOverOneMegabyteAreRefusedAndChangeNothing() throws Exception {
        open(ONE);
        byte[] before = Files.readAllBytes(home.agentsFile());
        String big = "{\"id\": \"big\", \"command\": \"sleep\", \"name\": \"" + "x".repeat(1_100_000) + "\"}";
        Resp r = post("/api/spawn/process", big);
        assertEquals(413, r.status());
        assertTrue(r.error().contains("larger than 1 MB"), r.error());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()));
        assertEquals(1, engine.agents().size());
    }

    @Test
    void noAuthAcceptsRequestsWithoutTokenButOnlyOnLoopback() throws Exception {
        open(ONE, new ApiOptions(true, "127.0.0.1", 0, true, false));
        Resp r = send(HttpRequest.newBuilder(java.net.URI.create(url("/api/processes/status"))).GET().build());
        assertEquals(200, r.status());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ApiOptions(true, "0.0.0.0", 0, true, false).bindAddress());
        assertTrue(e.getMessage().contains("--no-auth is allowed only on a loopback address"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiOptions.parse(List.of("--api-port", "70000"), ApiOptions.DEFAULT));
        assertEquals(0, ApiOptions.parse(List.of("--api-port=0", "x"), ApiOptions.DEFAULT).options().port());
    }

    @Test
    void aTakenPortIsNamedWhenTheUserChoseIt() throws Exception {
        open(ONE);
        var ws2 = new dev.agentdeck.testutil.TestHome(tmp.resolve("second")).workspace();
        var e = assertThrows(java.net.BindException.class, () ->
                ApiServer.start(engine, ws2, new ApiOptions(true, "127.0.0.1", api.port(), true, true), "serve", null));
        assertTrue(e.getMessage().contains("port " + api.port()), e.getMessage());
        try (ApiServer fallback = ApiServer.start(engine, ws2, new ApiOptions(true, "127.0.0.1", api.port(), false, true),
                "serve", null)) {
            assertTrue(fallback.port() != api.port(), "the default port, when taken, falls back to a free one");
        }
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", api.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
