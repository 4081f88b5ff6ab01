package dev.agentdeck.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AgentDeck's own log: rotated by size as JUL's FileHandler did, every file private from its creation. */
class EngineLogHandlerTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void rotatedFilesAndTheLockArePrivateAndTheOldestGoes() throws Exception {
        Path dir = tmp.resolve("data");
        EngineLogHandler h = EngineLogHandler.open(dir, 2_000, 3);
        h.setFormatter(new java.util.logging.SimpleFormatter());
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("agentdeck-0.log.lck")));
        for (int i = 0; i < 200; i++) {
            h.publish(new LogRecord(Level.INFO, "line " + i + " " + "x".repeat(40)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("agentdeck-0.log", "agentdeck-0.log.lck", "agentdeck-1.log", "agentdeck-2.log"), names,
                    "three generations and the lock");
        }
        for (String n : List.of("agentdeck-0.log", "agentdeck-1.log", "agentdeck-2.log")) {
            assertEquals("rw-------", mode(dir.resolve(n)), n);
            assertTrue(Files.size(dir.resolve(n)) < 2_000 + 200, n + " stays near the limit");
        }
        assertTrue(Files.readString(dir.resolve("agentdeck-0.log")).contains("line 199"), "the newest lines are in -0");
        assertFalse(Files.readString(dir.resolve("agentdeck-2.log")).contains("line 0 "), "the oldest went");

        EngineLogHandler second = EngineLogHandler.open(dir, 2_000, 3);
        second.publish(new LogRecord(Level.INFO, "from a second engine in this process"));
        second.flush();
        assertTrue(Files.exists(dir.resolve("agentdeck-0.log.1")), "another writer gets its own file, as FileHandler did");
        assertEquals("rw-------", mode(dir.resolve("agentdeck-0.log.1")));
        second.close();
        h.close();
        assertFalse(Files.exists(dir.resolve("agentdeck-0.log.lck")), "the lock goes with the handler");
    }
}
