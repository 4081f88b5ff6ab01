package dev.agentdeck.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One plain-http request and its reply over a socket (HTTP/1.1, {@code Connection: close}), for {@code ctl}'s
 * calls to a local engine. {@code java.net.http} sets up TLS even for http and costs a short-lived CLI about a
 * third of a second to load; an exchange with the loopback engine needs none of it. Replies with a
 * {@code Content-Length}, chunked or closing bodies are read.
 */
final class PlainHttp {
    private static final int CONNECT_TIMEOUT_MS = 3000;
    private static final int MAX_HEADER_LINE = 16 * 1024;

    /** A reply's status and body. */
    record Reply(int status, byte[] body) {
    }

    private PlainHttp() {
    }

    static Reply exchange(String baseUrl, String method, String path, String token, byte[] body, int readTimeoutMs)
            throws IOException {
        URI u = URI.create(baseUrl);
        int port = u.getPort() > 0 ? u.getPort() : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), CONNECT_TIMEOUT_MS);
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(u.getRawPath() == null ? "" : u.getRawPath()).append(path)
                    .append(" HTTP/1.1\r\n")
                    .append("Host: ").append(u.getHost()).append(':').append(port).append("\r\n")
                    .append("Connection: close\r\n");
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\n");
            }
            head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new java.io.BufferedInputStream(s.getInputStream()));
        }
    }

    static Reply read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP reply: " + status);
        }
        int code;
        try {
            code = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + status);
        }
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("not a Content-Length: " + value);
                }
                if (length < 0 || length > Integer.MAX_VALUE - 8) {
                    throw new IOException("a reply of " + value + " bytes is more than this client reads");
                }
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                bytes.write(in.readNBytes(size));
                line(in);
            }
            return new Reply(code, bytes.toByteArray());
        }
        if (length >= 0) {
            byte[] b = in.readNBytes((int) length);
            if (b.length < length) {
                throw new EOFException("the reply ended after " + b.length + " of " + length + " bytes");
            }
            return new Reply(code, b);
        }
        return new Reply(code, in.readAllBytes());
    }

    private static int chunkSize(String line) throws IOException {
        int semi = line.indexOf(';');
        try {
            return Integer.parseInt((semi >= 0 ? line.substring(0, semi) : line).trim(), 16);
        } catch (NumberFormatException e) {
            throw new IOException("not a chunk size: " + line);
        }
    }

    /** A CRLF-ended line of the head, without its end. */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed in the reply's head");
            }
            if (sb.length() > MAX_HEADER_LINE) {
                throw new IOException("a header line longer than " + MAX_HEADER_LINE + " bytes");
            }
            sb.append((char) c);
        }
        int end = sb.length();
        return end > 0 && sb.charAt(end - 1) == '\r' ? sb.substring(0, end - 1) : sb.toString();
    }
}
