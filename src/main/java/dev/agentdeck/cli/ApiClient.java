package dev.agentdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.api.ApiInfo;
import dev.agentdeck.api.ApiToken;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.tls.CertificatePinException;
import dev.agentdeck.tls.Fingerprint;
import dev.agentdeck.tls.KnownEngines;
import dev.agentdeck.tls.PinnedTrust;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A client of a running AgentDeck's API over {@code java.net.http}: finds the instance of a home through its
 * {@code api.json} and {@code api.token}, sends JSON requests, unwraps the {@code {"success", "data"}}
 * envelope (a refusal becomes a {@link CtlException} with the server's text), and reads server-sent events.
 * An https URL is trusted by its certificate's pinned fingerprint ({@link PinnedTrust}); a certificate that is
 * not the pinned or expected one fails with exit code {@value #CERTIFICATE_REFUSED}.
 */
public final class ApiClient {
    /** The exit code of a call refused because the server's certificate is not the pinned or expected one. */
    public static final int CERTIFICATE_REFUSED = 5;
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);
    private HttpClient http;
    private final boolean plainHttp;
    private final String url;
    private final String token;
    private final KnownEngines pins;
    private final Fingerprint expected;
    private final Consumer<String> onPinned;

    /** A client of {@code url}; an https URL is pinned in the user's {@code known-engines.json} on first use. */
    public ApiClient(String url, String token) {
        this(url, token, null, null, null);
    }

    /**
     * A client of {@code url} with the given token (or null), and for https the given pinning; plain http
     * ignores the pinning arguments.
     *
     * @param pins     where https pins are looked up and recorded; null with a null {@code expected} means the
     *                 user's {@link KnownEngines#user()}, null with an {@code expected} records nothing
     * @param expected the fingerprint the server must present, or null to trust the pin (or the first use)
     * @param onPinned told, in a sentence, when a new pin is recorded (may be null)
     */
    public ApiClient(String url, String token, KnownEngines pins, Fingerprint expected, Consumer<String> onPinned) {
        this(url, token, pins, expected, onPinned, true);
    }

    private ApiClient(String url, String token, KnownEngines pins, Fingerprint expected, Consumer<String> onPinned,
                      boolean plainHttp) {
        this.plainHttp = plainHttp;
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
        this.expected = expected;
        this.onPinned = onPinned;
        this.pins = https() && pins == null && expected == null ? KnownEngines.user() : pins;
    }

    private boolean https() {
        return url.toLowerCase(Locale.ROOT).startsWith("https:");
    }

    /** The java.net.http client, made on first use: plain-http calls never need it (see {@link PlainHttp}). */
    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
            if (https()) {
                PinnedTrust.configure(b, URI.create(url), pins, expected, onPinned);
            }
            http = b.build();
        }
        return http;
    }

    /** The same client with another token. */
    public ApiClient withToken(String newToken) {
        return new ApiClient(url, newToken, pins, expected, onPinned, plainHttp);
    }

    /**
     * The same client for a long-lived caller (an attached panel): its plain-http calls go through
     * {@code java.net.http} too, which keeps connections open between calls, instead of a socket per call.
     */
    public ApiClient pooled() {
        return new ApiClient(url, token, pins, expected, onPinned, false);
    }

    /** The client of the instance that serves this home, or a clear error when none runs. */
    public static ApiClient forWorkspace(Workspace ws) throws CtlException {
        ApiInfo info;
        try {
            info = ApiInfo.read(ws.apiJson());
        } catch (IOException e) {
            throw new CtlException("cannot read " + ws.apiJson() + ": " + e.getMessage());
        }
        if (info == null || (info.pid() > 0 && !ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false))) {
            throw new CtlException("no AgentDeck is running on " + ws.configDir() + " (" + ws.apiJson()
                    + (info == null ? " does not exist" : " names PID " + info.pid() + ", which is gone")
                    + "); start one with `agentdeck serve` or open the panel", List.of(), 3);
        }
        Fingerprint fingerprint = null;
        if (info.fingerprint() != null) {
            try {
                fingerprint = Fingerprint.parse(info.fingerprint());
            } catch (IllegalArgumentException e) {
                throw new CtlException(ws.apiJson() + " names a damaged fingerprint: " + e.getMessage());
            }
        }
        try {
            // api.json is the user's own file, written by the engine: its fingerprint is trusted as it is
            return new ApiClient(info.url(), ApiToken.read(ws.apiToken()), null, fingerprint, null);
        } catch (IOException e) {
            throw new CtlException("cannot read the API token " + ws.apiToken() + ": " + e.getMessage());
        }
    }

    public String url() {
        return url;
    }

    public JsonNode get(String path) throws CtlException {
        return call("GET", path, null);
    }

    public JsonNode post(String path, Object body) throws CtlException {
        return call("POST", path, body);
    }

    /** Sends a request; returns the whole success envelope ({@code data} and any fields beside it). */
    public JsonNode call(String method, String path, Object body) throws CtlException {
        byte[] bytes = body == null ? null
                : (body instanceof String s ? s : Json.compact(body)).getBytes(StandardCharsets.UTF_8);
        int status;
        byte[] reply;
        try {
            if (https() || !plainHttp) {
                HttpRequest.Builder b = request(path).timeout(CALL_TIMEOUT);
                if (bytes == null) {
                    b.method(method, HttpRequest.BodyPublishers.noBody());
                } else {
                    b.header("Content-Type", "application/json");
                    b.method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
                }
                HttpResponse<byte[]> resp = http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                status = resp.statusCode();
                reply = resp.body();
            } else {
                PlainHttp.Reply r = PlainHttp.exchange(url, method, path, token, bytes, (int) CALL_TIMEOUT.toMillis());
                status = r.status();
                reply = r.body();
            }
        } catch (ConnectException e) {
            throw new CtlException("cannot reach AgentDeck at " + url + " (connection refused)", List.of(), 3);
        } catch (IOException e) {
            throw refused(e).orElseGet(() -> new CtlException("the request to " + url + path + " failed: "
                    + e.getMessage() + schemeHint(e), List.of(), 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
        JsonNode envelope;
        try {
            envelope = Json.MAPPER.readTree(reply);
        } catch (IOException e) {
            throw new CtlException("AgentDeck answered " + status + " with something that is not JSON");
        }
        if (status >= 300 || envelope == null || !envelope.path("success").asBoolean(false)) {
            List<String> details = new ArrayList<>();
            if (envelope != null) {
                envelope.path("details").forEach(d -> details.add(d.asText()));
            }
            String msg = envelope == null ? "HTTP " + status : envelope.path("error").asText("HTTP " + status);
            throw new CtlException(msg, details, status == 404 ? 4 : 1, status,
                    envelope == null ? null : envelope.path("code").asText(null));
        }
        return envelope;
    }

    /** One server-sent event: its name ("message" when none), id (or null) and data. */
    public record SseEvent(String name, String id, String data) {
    }

    /**
     * Reads a server-sent-event stream until {@code handler} returns false or the stream ends; returns the id of
     * the last event with one (for a reconnect with Last-Event-ID), or {@code lastId} when none came.
     */
    public String stream(String path, String lastId, Predicate<SseEvent> handler) throws CtlException {
        return stream(path, lastId, handler, null);
    }

    /**
     * As {@link #stream(String, String, Predicate)}; {@code onOpen} gets the response body once the stream is open,
     * so another thread can end a read that waits (close it and interrupt the reading thread).
     */
    public String stream(String path, String lastId, Predicate<SseEvent> handler,
                         java.util.function.Consumer<java.io.Closeable> onOpen) throws CtlException {
        return stream(path, lastId, handler, onOpen, null);
    }

    /** As above; {@code onLine} (when not null) hears of every line read, keep-alive comments included. */
    public String stream(String path, String lastId, Predicate<SseEvent> handler,
                         java.util.function.Consumer<java.io.Closeable> onOpen, Runnable onLine) throws CtlException {
        HttpRequest.Builder b = request(path).header("Accept", "text/event-stream").GET();
        if (lastId != null) {
            b.header("Last-Event-ID", lastId);
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw refused(e).orElseGet(() -> new CtlException("cannot reach AgentDeck at " + url + ": "
                    + (e instanceof ConnectException || e.getMessage() == null ? "connection refused" : e.getMessage())
                    + schemeHint(e), List.of(), 3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted");
        }
        if (resp.statusCode() != 200) {
            try (InputStream in = resp.body()) {
                JsonNode env = Json.MAPPER.readTree(in);
                throw new CtlException(env.path("error").asText("HTTP " + resp.statusCode()), List.of(),
                        resp.statusCode() == 404 ? 4 : 1, resp.statusCode(), env.path("code").asText(null));
            } catch (IOException e) {
                throw new CtlException("HTTP " + resp.statusCode());
            }
        }
        if (onOpen != null) {
            onOpen.accept(resp.body());
        }
        String id = lastId;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String eventId = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (onLine != null) {
                    onLine.run();
                }
                if (line.isEmpty()) {
                    if (data.length() > 0 || name != null) {
                        if (eventId != null) {
                            id = eventId;
                        }
                        String d = data.length() > 0 ? data.substring(0, data.length() - 1) : "";
                        if (!handler.test(new SseEvent(name == null ? "message" : name, eventId, d))) {
                            return id;
                        }
                    }
                    name = null;
                    eventId = null;
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    data.append(strip(line.substring(5))).append('\n');
                } else if (line.startsWith("event:")) {
                    name = strip(line.substring(6));
                } else if (line.startsWith("id:")) {
                    eventId = strip(line.substring(3));
                }
            }
        } catch (IOException e) {
            // the stream dropped; the caller may reconnect with the id
        }
        return id;
    }

    /** A failure because of the server's certificate, as an error with what to do. */
    private static Optional<CtlException> refused(IOException e) {
        return PinnedTrust.refusal(e).map(c -> new CtlException(c.getMessage(), List.of(),
                c.kind() == CertificatePinException.Kind.STORE ? 1 : CERTIFICATE_REFUSED));
    }

    /** The likeliest cause when a server answered but not in the URL's scheme. */
    private String schemeHint(IOException e) {
        if (url.toLowerCase(Locale.ROOT).startsWith("https:")) {
            return e instanceof javax.net.ssl.SSLException ? " (if it serves plain http, use an http:// URL)" : "";
        }
        return e instanceof ConnectException ? "" : " (if it serves https, as `serve --tls` does, use an https:// URL)";
    }

    private static String strip(String s) {
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
