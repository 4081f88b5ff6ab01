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
    void aShortBodyOrSomethingElseThanHttpIsAnErrorThatSaysSo() {
        EOFException shortBody = assertThrows(EOFException.class,
                () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        assertTrue(shortBody.getMessage().contains("3 of 10"), shortBody.getMessage());
        IOException tls = assertThrows(IOException.class, () -> read("\u0015\u0003\u0003\u0000\u0002\u0002\n"));
        assertTrue(tls.getMessage().startsWith("not an HTTP reply"), tls.getMessage());
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-"));
    }
}
