package dev.agentdeck.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;

/** Connect to host:port within the timeout, then close; the connect runs on the calling probe thread. */
public final class TcpProbe implements HealthProbe {
    private final String host;
    private final int port;
    private final long timeoutMs;
    private final ProbeContext ctx;

    TcpProbe(String host, int port, long timeoutMs, ProbeContext ctx) {
        this.host = host;
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.ctx = ctx;
    }

    @Override
    public CompletableFuture<ProbeResult> run() {
        return CompletableFuture.completedFuture(connect());
    }

    private ProbeResult connect() {
        long t0 = System.nanoTime();
        String where = host + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
            return ProbeResult.passed("connected to " + where, t0);
        } catch (SocketTimeoutException e) {
            return ProbeResult.failed("no connection to " + where + " within " + timeoutMs + " ms", t0);
        } catch (IOException e) {
            return ProbeResult.failed(where + ": " + HttpProbe.describe(e), t0);
        }
    }
}
