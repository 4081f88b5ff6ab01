package dev.agentdeck.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's certificate: made once by keytool, private, reused; clear errors when keytool is missing or fails. */
class EngineCertificateTest {
    @TempDir
    Path tmp;

    @Test
    void madeOnceByKeytoolPrivateAndReused() throws Exception {
        Path dir = tmp.resolve("data").resolve("tls");
        EngineCertificate made = EngineCertificate.loadOrCreate(dir, InetAddress.getByName("192.0.2.7"),
                EngineCertificate.defaultKeytool());
        Path keystore = dir.resolve("engine.p12");
        Path password = dir.resolve("engine.p12.password");
        assertEquals(keystore, made.keystore());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("engine.p12", "engine.p12.password"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp file is left");
        }

        X509Certificate c = made.certificate();
        assertTrue(c.getSubjectX500Principal().getName().startsWith("CN=AgentDeck"), c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal(), "self-signed");
        c.verify(c.getPublicKey());
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        long days = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()).toDays();
        assertEquals(3650, days, "ten years");
        List<String> sans = new ArrayList<>();
        c.getSubjectAlternativeNames().forEach(n -> sans.add(n.get(1).toString()));
        assertTrue(sans.containsAll(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "192.0.2.7")), sans.toString());

        // the same digits keytool itself shows
        Process list = new ProcessBuilder(EngineCertificate.defaultKeytool().toString(), "-list", "-v", "-keystore",
                keystore.toString(), "-storepass:file", password.toString()).redirectErrorStream(true).start();
        String shown = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(list.waitFor(30, TimeUnit.SECONDS));
        assertTrue(shown.contains("SHA256: " + made.fingerprint().hex()), made.fingerprint() + " in\n" + shown);

        byte[] before = Files.readAllBytes(keystore);
        EngineCertificate again = EngineCertificate.loadOrCreate(dir, InetAddress.getByName("0.0.0.0"),
                tmp.resolve("no-keytool-needed"));
        assertEquals(made.fingerprint(), again.fingerprint(), "reused, not made again");
        assertArrayEquals(before, Files.readAllBytes(keystore));
        again.sslContext();
    }

    @Test
    void theSubjectAltNamesNameLoopbackTheBoundAddressAndTheHost() throws Exception {
        assertEquals(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1", "ip:192.168.1.20", "dns:box"),
                EngineCertificate.subjectAltNames(InetAddress.getByName("192.168.1.20"), "box"));
        assertEquals(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"),
                EngineCertificate.subjectAltNames(InetAddress.getByName("0.0.0.0"), null));
        assertEquals(List.of("dns:localhost", "ip:127.0.0.1", "ip:::1"),
                EngineCertificate.subjectAltNames(InetAddress.getByName("127.0.0.1"), "localhost"));
    }

    @Test
    void aMissingKeytoolIsNamed() {
        Path none = tmp.resolve("jre").resolve("bin").resolve("keytool");
        IOException e = assertThrows(IOException.class, () -> EngineCertificate.loadOrCreate(tmp.resolve("tls"),
                InetAddress.getLoopbackAddress(), none));
        assertTrue(e.getMessage().contains("there is no keytool at " + none), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("tls").resolve("engine.p12")));
    }

    @Test
    void aFailingKeytoolIsReportedWithItsOutput() throws Exception {
        Path fake = tmp.resolve("keytool");
        Files.writeString(fake, "#!/bin/sh\necho 'keytool error: java.lang.Exception: the disk is on fire' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Path dir = tmp.resolve("tls");
        IOException e = assertThrows(IOException.class, () -> EngineCertificate.loadOrCreate(dir,
                InetAddress.getLoopbackAddress(), fake));
        assertTrue(e.getMessage().contains("failed to make the TLS certificate (exit code 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("the disk is on fire"), e.getMessage());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "nothing is left behind");
        }
    }

    @Test
    void aDamagedKeystoreIsNamedWithWhatToDo() throws Exception {
        Path dir = tmp.resolve("tls");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("engine.p12"), "garbage");
        IOException noPassword = assertThrows(IOException.class, () -> EngineCertificate.loadOrCreate(dir,
                InetAddress.getLoopbackAddress(), tmp.resolve("unused")));
        assertTrue(noPassword.getMessage().contains("has no password file"), noPassword.getMessage());
        Files.writeString(dir.resolve("engine.p12.password"), "secret\n");
        IOException damaged = assertThrows(IOException.class, () -> EngineCertificate.loadOrCreate(dir,
                InetAddress.getLoopbackAddress(), tmp.resolve("unused")));
        assertTrue(damaged.getMessage().startsWith("cannot read the TLS keystore " + dir.resolve("engine.p12")), damaged.getMessage());
        assertTrue(damaged.getMessage().contains("delete the folder " + dir), damaged.getMessage());
    }
}
