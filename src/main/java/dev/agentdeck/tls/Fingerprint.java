package dev.agentdeck.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A certificate's SHA-256 fingerprint, written {@code SHA256 AB:CD:...}: uppercase hex pairs joined by colons,
 * the same digits {@code keytool -list -v} and {@code openssl x509 -noout -fingerprint -sha256} show.
 *
 * @param hex the 32 bytes as uppercase hex pairs joined by colons
 */
public record Fingerprint(String hex) {
    private static final HexFormat FORMAT = HexFormat.ofDelimiter(":").withUpperCase();
    private static final Pattern CANONICAL = Pattern.compile("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    /** "SHA256", "SHA-256:", "sha256 Fingerprint=" and the like in front of the digits, as tools print them. */
    private static final Pattern PREFIX = Pattern.compile("^(?i)sha-?256\\s*(fingerprint)?\\s*[:=]?\\s*");
    private static final Pattern DIGITS = Pattern.compile("[0-9a-fA-F]{64}");

    public Fingerprint {
        if (hex == null || !CANONICAL.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint in AB:CD:... form: " + hex);
        }
    }

    /** The fingerprint of a certificate's DER encoding. */
    public static Fingerprint of(X509Certificate certificate) {
        try {
            return of(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded: " + e.getMessage(), e);
        }
    }

    /** The fingerprint of DER bytes. */
    public static Fingerprint of(byte[] der) {
        try {
            return new Fingerprint(FORMAT.formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime has no SHA-256", e);
        }
    }

    /**
     * Reads a fingerprint as people paste it: {@code SHA256:AB:CD:...}, {@code SHA256 AB:CD...}, {@code AB:CD:...},
     * 64 hex digits, lower or upper case, as keytool ({@code SHA256: ...}) or openssl ({@code sha256
     * Fingerprint=...}) print it.
     *
     * @throws IllegalArgumentException naming the text when it is not 32 bytes of hex
     */
    public static Fingerprint parse(String text) {
        String s = text == null ? "" : PREFIX.matcher(text.trim()).replaceFirst("");
        String digits = s.replace(":", "").replace(" ", "");
        if (!DIGITS.matcher(digits).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a SHA-256 fingerprint: expected 32 hex pairs "
                    + "such as SHA256:AB:CD:...:EF (as `agentdeck serve --tls` prints it)");
        }
        return new Fingerprint(FORMAT.formatHex(HexFormat.of().parseHex(digits.toUpperCase(Locale.ROOT))));
    }

    @Override
    public String toString() {
        return "SHA256 " + hex;
    }
}
