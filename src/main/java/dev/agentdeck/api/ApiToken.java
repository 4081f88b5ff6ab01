package dev.agentdeck.api;

import dev.agentdeck.config.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The API's secret: 32 random bytes in {@code api.token} in the data folder, created on first start, readable
 * only by the user (0600; a file others could read is replaced by a new token). Compared in constant time.
 */
public final class ApiToken {
    private final String value;

    private ApiToken(String value) {
        this.value = value;
    }

    /** Reads the token file, or creates it when it is missing or empty. */
    public static ApiToken loadOrCreate(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!text.isEmpty() && !readableByOthers(file)) {
                return new ApiToken(text);
            }
            // others could read it (or it is empty): it may be known, so it is replaced by a new one below
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        // Private from its first byte: written to a file created 0600, then moved into place.
        Path tmp = PrivateFiles.createTempFile(dir, file.getFileName().toString(), ".new");
        Files.writeString(tmp, token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new ApiToken(token);
    }

    /** Reads an existing token file (for clients), or returns null when there is none. */
    public static String read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        return text.isEmpty() ? null : text;
    }

    public String value() {
        return value;
    }

    /** True when an {@code Authorization} header carries this token as a Bearer token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean readableByOthers(Path file) throws IOException {
        return PrivateFiles.tooOpen(file);
    }
}
