package dev.agentdeck.tls;

import java.nio.file.Path;
import java.security.cert.CertificateException;

/**
 * Why {@link PinnedTrust} refused a server's certificate, in words a user can act on; the TLS handshake fails
 * with it as the cause, before any request (and so before the token) is sent.
 */
public final class CertificatePinException extends CertificateException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The server presents another certificate than the one pinned for its host:port. */
        CHANGED,
        /** The server's certificate is not the one the caller said to expect. */
        NOT_EXPECTED,
        /** The pin store could not be read or written. */
        STORE
    }

    private final Kind kind;
    private final String hostPort;
    private final transient Fingerprint pinned;
    private final transient Fingerprint presented;

    CertificatePinException(Kind kind, String hostPort, Fingerprint pinned, Fingerprint presented, String message,
                            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.hostPort = hostPort;
        this.pinned = pinned;
        this.presented = presented;
    }

    static CertificatePinException changed(String hostPort, KnownEngines.Pin pin, Fingerprint presented, Path store) {
        String colons = "SHA256:" + presented.hex();
        return new CertificatePinException(Kind.CHANGED, hostPort, pin.fingerprint(), presented,
                "the TLS certificate of " + hostPort + " has changed: it was pinned as " + pin.fingerprint()
                        + (pin.pinnedAt() == null ? "" : " on " + pin.pinnedAt()) + ", and the server now presents "
                        + presented + ". Nothing was sent to it. Someone may be intercepting the connection, or the "
                        + "engine made a new certificate (its tls folder was deleted). Compare the new fingerprint with "
                        + "the one `agentdeck serve --tls` printed on that machine (also in its api.json); if they are "
                        + "the same, accept the new certificate by connecting once with --fingerprint " + colons
                        + ", or by deleting the line \"" + hostPort + "\" from " + store, null);
    }

    static CertificatePinException notExpected(String hostPort, Fingerprint expected, Fingerprint presented) {
        return new CertificatePinException(Kind.NOT_EXPECTED, hostPort, expected, presented,
                "the TLS certificate of " + hostPort + " is " + presented + ", not the expected " + expected
                        + ". Nothing was sent to it. Check the fingerprint `agentdeck serve --tls` printed on that "
                        + "machine (also in its api.json)", null);
    }

    static CertificatePinException store(String hostPort, String message, Throwable cause) {
        return new CertificatePinException(Kind.STORE, hostPort, null, null, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The server, as {@code host:port}. */
    public String hostPort() {
        return hostPort;
    }

    /** The pinned or expected fingerprint, or null for {@link Kind#STORE}. */
    public Fingerprint pinned() {
        return pinned;
    }

    /** The fingerprint of the certificate the server presented, or null for {@link Kind#STORE}. */
    public Fingerprint presented() {
        return presented;
    }
}
