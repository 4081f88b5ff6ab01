package dev.agentdeck.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trust for https to one AgentDeck engine by its certificate's SHA-256 fingerprint, as SSH trusts host keys:
 * the certificate is accepted only when its fingerprint is the expected one, or (with no expected one) the one
 * pinned for the URL's {@code host:port} in a {@link KnownEngines} file; an engine seen for the first time is
 * pinned (trust on first use). The pin stands in for both the CA chain and the host name check, so an engine's
 * self-signed certificate works under any name or address that reaches it; a certificate that changed is
 * refused with a {@link CertificatePinException} saying how to accept it.
 *
 * <p>Use one per engine URL; the client it configures must only be used for that URL's host and port:
 * <pre>{@code
 * HttpClient http = PinnedTrust.newClient(url, KnownEngines.user(), null, msg -> log.info(msg));
 * }</pre>
 * A refusal surfaces as an {@link IOException} (an {@code SSLHandshakeException}) from {@code send};
 * {@link #refusal} finds the reason in it.
 */
public final class PinnedTrust extends X509ExtendedTrustManager {
    private final String hostPort;
    private final KnownEngines store;
    private final Fingerprint expected;
    private final Consumer<String> onPinned;

    /**
     * @param url      the engine's https URL; its host and port are the key of the pin
     * @param store    where pins are looked up and recorded, or null to check {@code expected} only
     * @param expected the fingerprint the server must present (then nothing is trusted on first use, and a
     *                 matching certificate replaces a different pin in {@code store}), or null to go by the store
     * @param onPinned told, in a sentence, when a pin is recorded (may be null)
     * @throws IllegalArgumentException when both {@code store} and {@code expected} are null, or the URL is not https
     */
    public PinnedTrust(URI url, KnownEngines store, Fingerprint expected, Consumer<String> onPinned) {
        if (url.getScheme() == null || !url.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
            throw new IllegalArgumentException("pinning is for https URLs, not " + url);
        }
        if (store == null && expected == null) {
            throw new IllegalArgumentException("an https client needs a pin store or an expected fingerprint");
        }
        this.hostPort = KnownEngines.key(url);
        this.store = store;
        this.expected = expected;
        this.onPinned = onPinned == null ? m -> { } : onPinned;
    }

    /** A new {@link HttpClient} that trusts only the engine at {@code url} by its pin; see the constructor. */
    public static HttpClient newClient(URI url, KnownEngines store, Fingerprint expected, Consumer<String> onPinned) {
        return configure(HttpClient.newBuilder(), url, store, expected, onPinned).build();
    }

    /** Sets {@code builder}'s TLS context and parameters to trust the engine at {@code url} by its pin. */
    public static HttpClient.Builder configure(HttpClient.Builder builder, URI url, KnownEngines store,
                                               Fingerprint expected, Consumer<String> onPinned) {
        return new PinnedTrust(url, store, expected, onPinned).configure(builder);
    }

    /** Sets {@code builder}'s TLS context to one with this trust, and TLS 1.3 and 1.2 only. */
    public HttpClient.Builder configure(HttpClient.Builder builder) {
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
        return builder.sslContext(sslContext()).sslParameters(params);
    }

    /** A client TLS context whose only trust is this one. */
    public SSLContext sslContext() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{this}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no TLS: " + e.getMessage(), e);
        }
    }

    /** The engine, as {@code host:port}. */
    public String hostPort() {
        return hostPort;
    }

    /** The pin refusal behind a failed request, if that is why it failed. */
    public static Optional<CertificatePinException> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertificatePinException c) {
                return Optional.of(c);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException(hostPort + " presented no certificate");
        }
        Fingerprint presented = Fingerprint.of(chain[0]);
        // one check-then-pin at a time per store, so two connections cannot both pin first
        synchronized (store != null ? store : this) {
            if (expected != null) {
                if (!expected.equals(presented)) {
                    throw CertificatePinException.notExpected(hostPort, expected, presented);
                }
                if (store != null) {
                    recordExpected(presented);
                }
                return;
            }
            Optional<KnownEngines.Pin> pin;
            try {
                pin = store.find(hostPort);
            } catch (IOException e) {
                throw CertificatePinException.store(hostPort, "cannot check the TLS certificate of " + hostPort
                        + " against its pin: " + e.getMessage(), e);
            }
            if (pin.isPresent()) {
                if (!pin.get().fingerprint().equals(presented)) {
                    throw CertificatePinException.changed(hostPort, pin.get(), presented, store.file());
                }
                return;
            }
            try {
                store.pin(hostPort, presented);
            } catch (IOException e) {
                throw CertificatePinException.store(hostPort, "cannot record the pin of " + hostPort + " (" + presented
                        + ") in " + store.file() + ": " + e.getMessage() + "; give the fingerprint explicitly to connect "
                        + "without recording it", e);
            }
            onPinned.accept("pinned the certificate of " + hostPort + ": " + presented + " (in " + store.file() + ")");
        }
    }

    /** The caller vouched for this certificate: it becomes the pin, replacing another one. */
    private void recordExpected(Fingerprint presented) {
        try {
            Optional<KnownEngines.Pin> had = store.find(hostPort);
            if (had.isEmpty() || !had.get().fingerprint().equals(presented)) {
                store.pin(hostPort, presented);
                onPinned.accept("pinned the certificate of " + hostPort + ": " + presented + " (in " + store.file()
                        + (had.isEmpty() ? "" : "; it replaces " + had.get().fingerprint()) + ")");
            }
        } catch (IOException e) {
            // the certificate was checked against the given fingerprint; only the record is missing
            onPinned.accept("could not record the pin of " + hostPort + " in " + store.file() + ": " + e.getMessage());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("PinnedTrust checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("PinnedTrust checks servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("PinnedTrust checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
