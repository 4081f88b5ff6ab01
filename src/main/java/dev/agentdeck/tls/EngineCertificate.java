package dev.agentdeck.tls;

import dev.agentdeck.config.PrivateFiles;
import dev.agentdeck.config.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The engine's TLS identity: a self-signed EC P-256 certificate valid for ten years, made on first start by the
 * JDK's own {@code keytool} (the JDK has no public API that makes certificates) and kept in
 * {@code <dataDir>/tls/engine.p12} (PKCS12) with its password in {@code engine.p12.password} beside it; the
 * folder is 0700 and both files 0600. Later starts reuse it, so clients that pinned its fingerprint keep trusting
 * it; deleting the folder makes a new one, which those clients then refuse until they accept it.
 */
public final class EngineCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCertificate.class);
    public static final String KEYSTORE = "engine.p12";
    public static final String PASSWORD = "engine.p12.password";
    static final String ALIAS = "agentdeck";
    private static final long KEYTOOL_TIMEOUT_S = 60;
    /** A host name keytool accepts as a DNS SAN (and that is safe inside the CN). */
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private final Path keystore;
    private final KeyStore store;
    private final char[] password;
    private final X509Certificate certificate;
    private final Fingerprint fingerprint;

    private EngineCertificate(Path keystore, KeyStore store, char[] password, X509Certificate certificate) {
        this.keystore = keystore;
        this.store = store;
        this.password = password;
        this.certificate = certificate;
        this.fingerprint = Fingerprint.of(certificate);
    }

    /** The folder of a workspace's certificate: {@code tls/} in its data folder. */
    public static Path dir(Workspace ws) {
        return ws.dataDir().resolve("tls");
    }

    /** The workspace's certificate, made on first use for an API bound to {@code bound}. */
    public static EngineCertificate loadOrCreate(Workspace ws, InetAddress bound) throws IOException {
        return loadOrCreate(dir(ws), bound, defaultKeytool());
    }

    /** The keytool of the running Java: {@code $java.home/bin/keytool}. */
    static Path defaultKeytool() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        return Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
    }

    /**
     * Loads the certificate in {@code dir}, or makes it with {@code keytool} when there is no keystore yet.
     *
     * @throws IOException naming the file and what to do when the keystore cannot be read, and carrying
     *                     keytool's output when it fails
     */
    static EngineCertificate loadOrCreate(Path dir, InetAddress bound, Path keytool) throws IOException {
        Path keystore = dir.resolve(KEYSTORE);
        Path passwordFile = dir.resolve(PASSWORD);
        privateDir(dir);
        if (!Files.exists(keystore)) {
            create(dir, keystore, passwordFile, bound, keytool);
        }
        return load(keystore, passwordFile);
    }

    private static void privateDir(Path dir) throws IOException {
        PrivateFiles.createDirectories(dir);
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, PrivateFiles.FOLDER); // also when it was made looser by hand
        }
    }

    private static void create(Path dir, Path keystore, Path passwordFile, InetAddress bound, Path keytool)
            throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path newPassword = PrivateFiles.createTempFile(dir, PASSWORD, ".new");
        Path newKeystore = dir.resolve(KEYSTORE + ".new");
        try {
            Files.writeString(newPassword, password + "\n", StandardCharsets.UTF_8);
            Files.deleteIfExists(newKeystore); // left by a start that crashed; keytool would add to it
            String host = hostName();
            // The password goes through a file: an argument would show in `ps` to every user of the machine.
            List<String> args = List.of("-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-sigalg", "SHA256withECDSA", "-validity", "3650",
                    "-dname", host == null ? "CN=AgentDeck" : "CN=AgentDeck " + host,
                    "-ext", "SAN=" + String.join(",", subjectAltNames(bound, host)),
                    "-storetype", "PKCS12", "-keystore", newKeystore.toString(),
                    "-storepass:file", newPassword.toString(), "-keypass:file", newPassword.toString());
            runKeytool(keytool, args, dir);
            PrivateFiles.restrict(newKeystore); // keytool made it with the umask's mode, inside the 0700 folder
            Files.move(newPassword, passwordFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newKeystore, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("made a new TLS certificate in {}", keystore);
        } finally {
            Files.deleteIfExists(newPassword);
            Files.deleteIfExists(newKeystore);
        }
    }

    /** localhost, 127.0.0.1, ::1, the bound address when it is a specific one, and this machine's name. */
    static List<String> subjectAltNames(InetAddress bound, String hostName) {
        Set<String> names = new LinkedHashSet<>(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"));
        if (bound != null && !bound.isAnyLocalAddress() && !bound.isLoopbackAddress()) {
            String ip = bound.getHostAddress();
            if (bound instanceof Inet6Address && ip.indexOf('%') >= 0) {
                ip = ip.substring(0, ip.indexOf('%')); // a scope (fe80::1%eth0) is not part of an address SAN
            }
            names.add("ip:" + ip);
        }
        if (hostName != null && !hostName.equalsIgnoreCase("localhost")) {
            names.add("dns:" + hostName);
        }
        return new ArrayList<>(names);
    }

    /** This machine's name when it is one a certificate can carry, else null. */
    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name != null && DNS_NAME.matcher(name).matches() ? name : null;
        } catch (IOException e) {
            return null; // the name does not resolve: the certificate names addresses only
        }
    }

    /** Runs keytool (a list of arguments, never through a shell); a failure carries its output. */
    static void runKeytool(Path keytool, List<String> args, Path workDir) throws IOException {
        if (!Files.isExecutable(keytool)) {
            throw new IOException("cannot make the TLS certificate: there is no keytool at " + keytool
                    + "; AgentDeck runs it from the Java runtime it runs on (" + System.getProperty("java.home")
                    + "), so run AgentDeck on a Java runtime that includes bin/keytool");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.addAll(args);
        Path output = PrivateFiles.createTempFile(workDir, "keytool", ".out");
        try {
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new IOException("cannot run keytool (" + keytool + ") to make the TLS certificate: " + e.getMessage(), e);
            }
            p.getOutputStream().close(); // keytool must not wait for a password typed on stdin
            boolean ended;
            try {
                ended = p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while keytool made the TLS certificate");
            }
            if (!ended) {
                p.destroyForcibly();
                throw new IOException("keytool (" + keytool + ") did not finish making the TLS certificate within "
                        + KEYTOOL_TIMEOUT_S + " s; its output: " + Files.readString(output, StandardCharsets.UTF_8).trim());
            }
            if (p.exitValue() != 0) {
                throw new IOException("keytool (" + keytool + ") failed to make the TLS certificate (exit code "
                        + p.exitValue() + "): " + Files.readString(output, StandardCharsets.UTF_8).trim());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static EngineCertificate load(Path keystore, Path passwordFile) throws IOException {
        String remedy = "; delete the folder " + keystore.getParent() + " to make a new certificate on the next start "
                + "(clients that pinned the old one will refuse the new one until they accept it)";
        if (!Files.isRegularFile(passwordFile)) {
            throw new IOException("the TLS keystore " + keystore + " has no password file " + passwordFile + remedy);
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystore)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot read the TLS keystore " + keystore + " with the password in " + passwordFile
                    + ": " + e.getMessage() + remedy, e);
        }
        X509Certificate certificate = keyCertificate(store);
        if (certificate == null) {
            throw new IOException("the TLS keystore " + keystore + " holds no private key with an X.509 certificate" + remedy);
        }
        PrivateFiles.restrict(keystore);
        PrivateFiles.restrict(passwordFile);
        return new EngineCertificate(keystore, store, password, certificate);
    }

    /** The certificate of the AgentDeck key entry, else of the first key entry, else null. */
    private static X509Certificate keyCertificate(KeyStore store) {
        try {
            String alias = store.isKeyEntry(ALIAS) ? ALIAS
                    : Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).findFirst().orElse(null);
            return alias != null && store.getCertificate(alias) instanceof X509Certificate x ? x : null;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Fingerprint fingerprint() {
        return fingerprint;
    }

    public Path keystore() {
        return keystore;
    }

    /** A server-side TLS context that presents this certificate. */
    public SSLContext sslContext() throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the TLS keystore " + keystore + ": " + e.getMessage(), e);
        }
    }
}
