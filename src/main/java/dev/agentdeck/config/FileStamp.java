package dev.agentdeck.config;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What a file held when it was read (a SHA-256 of its bytes, or "absent"), to notice changes made by others. */
public record FileStamp(String digest) {
    public static final FileStamp ABSENT = new FileStamp("absent");

    public static FileStamp of(byte[] bytes) {
        try {
            return new FileStamp(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
