package dev.agentdeck.tls;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How fingerprints are written and read back in the forms people paste. */
class FingerprintTest {
    private static final String HEX = "FC:03:A3:07:10:6F:E9:DF:88:E6:B8:69:24:A1:17:74:0B:A2:9E:B5:D4:E6:80:7D:BF:9F:46:49:C0:2B:A5:35";

    @Test
    void readsTheFormsToolsPrint() {
        Fingerprint f = new Fingerprint(HEX);
        assertEquals("SHA256 " + HEX, f.toString());
        for (String text : List.of(HEX, HEX.toLowerCase(), "SHA256 " + HEX, "SHA256:" + HEX, "SHA256: " + HEX,
                "sha256 Fingerprint=" + HEX, "SHA256 Fingerprint=" + HEX, "SHA-256 " + HEX, HEX.replace(":", ""),
                "  " + HEX + "\n")) {
            assertEquals(f, Fingerprint.parse(text), text);
        }
        assertEquals(f, Fingerprint.parse(f.toString()), "what it prints, it reads");
    }

    @Test
    void refusesWhatIsNotThirtyTwoBytesOfHex() {
        for (String text : List.of("", "SHA256", HEX.substring(3), HEX + ":00", HEX.replace('F', 'G'), "SHA1 " + HEX)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse(text), text);
            assertTrue(e.getMessage().contains("is not a SHA-256 fingerprint"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Fingerprint(HEX.toLowerCase()));
    }

    @Test
    void isTheSha256OfTheEncodedCertificate() {
        byte[] der = "not really DER, but bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // printf 'not really DER, but bytes' | sha256sum
        assertEquals(Fingerprint.parse("146690d86c16d296d78eeb1433ada90bdba9db2a7ece4b9bcd6232701b99cc62"),
                Fingerprint.of(der));
    }
}
