package dev.agentdeck.health;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** GET the endpoint; a 2xx or 3xx answer within the timeout is healthy. Asynchronous: no thread waits. */
public final class HttpProbe implements HealthProbe {
    private final URI endpoint;
    private final long timeoutMs;
    private final ProbeContext ctx;

    HttpProbe(String endpoint, long timeoutMs, ProbeContext ctx) {
        this.endpoint = URI.create(endpoint);
        this.timeoutMs = timeoutMs;
        this.ctx = ctx;
    }

    @Override
    public CompletableFuture<ProbeResult> run() {
        long t0 = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMillis(timeoutMs)).GET().build();
        return ctx.http().get().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .orTimeout(timeoutMs + 250, java.util.concurrent.TimeUnit.MILLISECONDS)
                .handle((r, t) -> {
                    if (t == null) {
                        int code = r.statusCode();
                        String msg = "HTTP " + code + " from " + endpoint;
                        return code >= 200 && code < 400 ? ProbeResult.passed(msg, t0) : ProbeResult.failed(msg, t0);
                    }
                    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                    if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
                        return ProbeResult.failed("no answer from " + endpoint + " within " + timeoutMs + " ms", t0);
                    }
                    return ProbeResult.failed(endpoint + ": " + describe(cause), t0);
                });
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
