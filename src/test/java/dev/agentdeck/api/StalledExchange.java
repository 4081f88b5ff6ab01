package dev.agentdeck.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;

/**
 * An exchange whose peer stopped reading: the first write blocks until the exchange is closed, then fails, as
 * a socket with full buffers does. For testing that slow stream clients are dropped.
 */
final class StalledExchange extends HttpExchange {
    private final Headers request = new Headers();
    private final Headers response = new Headers();
    private final URI uri;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean blocked;

    StalledExchange(String path) {
        this.uri = URI.create(path);
    }

    boolean blocked() {
        return blocked;
    }

    boolean closed() {
        return closed.getCount() == 0;
    }

    @Override
    public Headers getRequestHeaders() {
        return request;
    }

    @Override
    public Headers getResponseHeaders() {
        return response;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        closed.countDown();
    }

    @Override
    public InputStream getRequestBody() {
        return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public OutputStream getResponseBody() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                blocked = true;
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("connection closed");
            }
        };
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
        // headers go nowhere
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public int getResponseCode() {
        return 200;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return new InetSocketAddress("127.0.0.1", 2);
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return null;
    }

    @Override
    public void setAttribute(String name, Object value) {
        // no attributes
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        // fixed streams
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
