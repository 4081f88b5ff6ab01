package dev.agentdeck.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.tls.EngineCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * AgentDeck's REST/SSE API on the JDK's HTTP server, in front of one {@link ProcessService}: the Spawn API
 * and Cortex Flow paths of the seeds plus AgentDeck's own. Every request must name a loopback host (or the
 * address the server was bound to) in its Host header, come from no foreign web page (Origin), and carry the
 * token unless auth is off; bodies over 1 MB are refused. With TLS it serves https (TLS 1.2 and 1.3) with the
 * workspace's {@link EngineCertificate}. Writes {@code api.json} once listening and removes it on close.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final int MAX_BODY = 1 << 20;
    private static final long DRAIN_LIMIT = 64L << 20;
    /** 127.x.y.z as an address, not a name that merely starts with "127." (127.evil.example). */
    private static final java.util.regex.Pattern LOOPBACK_V4 = java.util.regex.Pattern.compile("127(\\.\\d{1,3}){3}");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Router router = new Router();
    private final WireStream wire;
    private final WireLogs wireLogs;
    private final MetricWatches watches;
    private final ApiToken token;
    private final boolean auth;
    private final InetAddress bound;
    private final EngineCertificate certificate;
    private final EventStream events;
    private final LogRoutes logs;
    private final ApiStats stats = new ApiStats();
    private final ApiInfo info;
    private final Workspace workspace;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    static {
        // Replies go out as headers then body; without TCP_NODELAY the body's last segment can wait for an ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private ApiServer(ProcessService engine, Workspace ws, ApiOptions options, String kind, Runnable focus)
            throws IOException {
        this.workspace = ws;
        this.auth = options.auth();
        this.bound = options.bindAddress();
        this.token = ApiToken.loadOrCreate(ws.apiToken());
        this.certificate = options.tls() ? EngineCertificate.loadOrCreate(ws, bound) : null;
        this.server = bind(bound, options);
        if (certificate != null) {
            ((HttpsServer) server).setHttpsConfigurator(configurator(certificate.sslContext()));
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "agentdeck-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        this.events = new EventStream(engine);
        this.logs = new LogRoutes(engine);
        this.wire = new WireStream(engine);
        this.wireLogs = new WireLogs(engine);
        this.watches = new MetricWatches(engine);
        stats.streams(() -> events.clientCount() + wire.clientCount(), () -> logs.streamCount() + wireLogs.streamCount());
        new SpawnRoutes(engine, ws, logs, stats).register(router);
        new CortexRoutes(engine, logs).register(router);
        new DeckRoutes(engine, ws, kind, focus).register(router, events);
        new WireRoutes(engine, watches).register(router, wire, wireLogs);
        server.createContext("/", this::handle);
        server.start();
        int port = server.getAddress().getPort();
        String host = bound.isAnyLocalAddress() ? "127.0.0.1" : bound.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        this.info = new ApiInfo(ProcessHandle.current().pid(), port, scheme() + "://" + host + ":" + port,
                certificate == null ? null : certificate.fingerprint().toString());
        try {
            info.write(ws.apiJson());
        } catch (IOException e) {
            close();
            throw new IOException("cannot write " + ws.apiJson() + ": " + e.getMessage(), e);
        }
        LOG.info("API listening on {} ({}{})", info.url(), auth ? "token required" : "no auth",
                certificate == null ? "" : ", certificate " + certificate.fingerprint());
    }

    /**
     * Starts the API for an engine.
     *
     * @param kind  "panel" or "serve", reported by {@code GET /api/info}
     * @param focus what {@code POST /api/panel/focus} does (brings the window to the front), or null
     * @throws IOException when the port cannot be bound (the message names the port)
     */
    public static ApiServer start(ProcessService engine, Workspace ws, ApiOptions options, String kind, Runnable focus)
            throws IOException {
        return new ApiServer(engine, ws, options, kind, focus);
    }

    private static HttpServer bind(InetAddress address, ApiOptions options) throws IOException {
        try {
            return create(new InetSocketAddress(address, options.port()), options.tls());
        } catch (BindException e) {
            if (!options.portGiven() && options.port() != 0) {
                LOG.warn("API port {} is taken; listening on a free port instead (see api.json)", options.port());
                return create(new InetSocketAddress(address, 0), options.tls());
            }
            throw new BindException("port " + options.port() + " on " + address.getHostAddress()
                    + " is already in use; choose another with --api-port N (0 = any free port)");
        }
    }

    private static HttpServer create(InetSocketAddress address, boolean tls) throws IOException {
        return tls ? HttpsServer.create(address, 64) : HttpServer.create(address, 64);
    }

    private static HttpsConfigurator configurator(SSLContext context) {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(p);
            }
        };
    }

    private String scheme() {
        return certificate == null ? "http" : "https";
    }

    public ApiInfo info() {
        return info;
    }

    public int port() {
        return info.port();
    }

    public String url() {
        return info.url();
    }

    public String token() {
        return token.value();
    }

    /** The certificate's fingerprint ({@code SHA256 AB:CD:...}) when the API speaks https, else null. */
    public String fingerprint() {
        return info.fingerprint();
    }

    private void handle(HttpExchange ex) {
        CompletableFuture<Reply> reply;
        try {
            String path = ex.getRequestURI().getRawPath();
            checkHost(ex);
            if (auth && !token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"agentdeck\"");
                throw new ApiError(401, "unauthorized", ex.getRequestHeaders().containsKey("Authorization")
                        ? "the token is wrong" : "this API needs a token: send \"Authorization: Bearer <token>\" "
                        + "with the token from " + workspace.apiToken(), List.of());
            }
            byte[] body = readBody(ex);
            Router.Match m = router.match(ex.getRequestMethod(), decode(path));
            reply = m.handler().handle(new ApiRequest(ex, m.params(), body));
        } catch (Exception e) {
            reply = CompletableFuture.failedFuture(e);
        }
        if (reply.isDone()) {
            finish(ex, reply); // on this request thread, without another hop
        } else {
            // engine futures complete on engine threads; the reply is written on ours
            CompletableFuture<Reply> pending = reply;
            reply.whenCompleteAsync((r, err) -> finish(ex, pending), executor);
        }
    }

    private void finish(HttpExchange ex, CompletableFuture<Reply> done) {
        Reply out;
        try {
            out = done.join();
        } catch (RuntimeException e) {
            out = Reply.error(toApiError(e));
        }
        if (out != Reply.STREAMING) {
            send(ex, out);
        } else {
            stats.request(200);
        }
    }

    private static String decode(String rawPath) {
        try {
            return URI.create(rawPath).getPath();
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("the path " + rawPath + " is not a valid URL path");
        }
    }

    /**
     * The Host header must name this machine's loopback or the bound address, which defeats DNS rebinding. With
     * TLS on an address others can reach, any name passes: clients there may use any name of this machine, the
     * token is required, and a browser led there by a rebound name stops at the self-signed certificate.
     */
    private void checkHost(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !(anyHost() || allowedHost(host))) {
            throw new ApiError(403, "forbidden_host", "the Host header " + (host == null ? "is missing" : "\"" + host
                    + "\" is not a loopback name") + "; call the API as " + scheme() + "://127.0.0.1:" + server.getAddress().getPort()
                    + " or " + scheme() + "://localhost:" + server.getAddress().getPort(), List.of());
        }
        // Browsers name the page that makes a request. The API serves no pages, so any web page is another
        // origin, even one on localhost at another port: refused (so --no-auth cannot be used from a browser).
        String origin = ex.getRequestHeaders().getFirst("Origin");
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if ((origin != null && !sameOrigin(origin)) || (site != null && !site.equals("same-origin") && !site.equals("none"))) {
            throw new ApiError(403, "forbidden_origin", "requests from web pages (" + (origin != null ? origin : site)
                    + ") are refused", List.of());
        }
    }

    private boolean anyHost() {
        return certificate != null && !bound.isLoopbackAddress();
    }

    private boolean allowedHost(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(1, end);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') >= 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || LOOPBACK_V4.matcher(h).matches()) {
            return true;
        }
        return !bound.isLoopbackAddress() && !bound.isAnyLocalAddress() && h.equals(bound.getHostAddress().toLowerCase(Locale.ROOT));
    }

    /** An Origin of this server itself: a loopback (or the bound) host with this server's port. */
    private boolean sameOrigin(String origin) {
        try {
            URI u = URI.create(origin);
            return u.getHost() != null && u.getPort() == server.getAddress().getPort()
                    && allowedHost(u.getHost().contains(":") && !u.getHost().startsWith("[") ? "[" + u.getHost() + "]" : u.getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                Long.parseLong(len.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("Content-Length \"" + len + "\" is not a number");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                // Read the rest before refusing (up to a bound): closing on unread input resets the connection,
                // and the client would get no reply at all.
                byte[] sink = new byte[64 * 1024];
                long drained = 0;
                int n;
                while (drained < DRAIN_LIMIT && (n = in.read(sink)) >= 0) {
                    drained += n;
                }
                throw tooLarge();
            }
            return b;
        }
    }

    private static ApiError tooLarge() {
        return new ApiError(413, "too_large", "the request body is larger than 1 MB and was refused", List.of());
    }

    private static ApiError toApiError(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ApiError a) {
            return a;
        }
        if (c instanceof EngineException e) {
            return ApiError.of(e.error());
        }
        LOG.warn("API request failed", c);
        return new ApiError(500, "failed", String.valueOf(c.getMessage() == null ? c : c.getMessage()), List.of());
    }

    private void send(HttpExchange ex, Reply r) {
        try (ex) {
            byte[] bytes = Json.MAPPER.writeValueAsBytes(r.body());
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the client went away before the reply
        } finally {
            stats.request(r.status());
        }
    }

    /** Removes api.json, ends the event and log streams, and stops listening. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        info.removeIfOurs(workspace.apiJson());
        events.close();
        logs.close();
        wire.close();
        wireLogs.close();
        watches.close();
        server.stop(0);
        executor.shutdownNow();
    }
}
