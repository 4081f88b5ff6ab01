package dev.agentdeck.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainHttpTest {
    private static PlainHttp.Reply read(String wire) throws IOException {
        return PlainHttp.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aBodyWithContentLengthIsReadToItsLengthAndNoFurther() throws IOException {
        PlainHttp.Reply r = read("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\ncontent-length: 5\r\n\r\n{\"a\"}garbage");
        assertEquals(404, r.status());
        assertEquals("{\"a\"}", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aChunkedBodyIsJoinedWithExtensionsAndTrailersIgnored() throws IOException {
        PlainHttp.Reply r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n6\r\npedia!\r\n0\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("Wikipedia!", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void withoutLengthTheBodyEndsWhenTheConnectionCloses() throws IOException {
        byte[] utf8 = "{\"id\": \"é→\"}".getBytes(StandardCharsets.UTF_8);
        byte[] head = "HTTP/1.1 200 OK\n\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = new byte[head.length + utf8.length];
        System.arraycopy(head, 0, wire, 0, head.length);
        System.arraycopy(utf8, 0, wire, head.length, utf8.length);
        PlainHttp.Reply r = PlainHttp.read(new ByteArrayInputStream(wire));
        assertArrayEquals(utf8, r.body());
    }

    @Test
    void theRequestCarriesTheBaseUrlsPathTheTokenAndTheBody() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture<String> seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket s = server.accept()) {
                    java.io.BufferedReader in = new java.io.BufferedReader(
                            new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    StringBuilder head = new StringBuilder();
                    int length = 0;
                    for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                        head.append(l).append('\n');
                        if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(l.substring(15).trim());
                        }
                    }
                    char[] body = new char[length];
                    int n = in.read(body);
                    s.getOutputStream().write("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}".getBytes(StandardCharsets.UTF_8));
                    return head + new String(body, 0, Math.max(n, 0));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            PlainHttp.Reply r = PlainHttp.exchange("http://127.0.0.1:" + server.getLocalPort() + "/deck", "POST",
                    "/api/x?y=1", "t0k", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 5000);
            assertEquals(201, r.status());
            String request = seen.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(request.startsWith("POST /deck/api/x?y=1 HTTP/1.1\n"), request);
            assertTrue(request.contains("Authorization: Bearer t0k\n"), request);
            assertTrue(request.endsWith("{\"a\":1}"), request);
        }
    }

    @Test
    void aShortBodyOrSomethingElseThanHttpIsAnErrorThatSaysSo() {
        EOFException shortBody = assertThrows(EOFException.class,
                () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertTrue(shortBody.getMessage().contains("3 of 10"), shortBody.getMessage());
        IOException tls = assertThrows(IOException.class, () -> read("\u0015\u0003\u0003\u0000\u0002\u0002\n"));
        assertTrue(tls.getMessage().startsWith("not an HTTP reply"), tls.getMessage());
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-"));
        IOException length = assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: lots\r\n\r\n"));
        assertTrue(length.getMessage().contains("not a Content-Length: lots"), length.getMessage());
    }
}
