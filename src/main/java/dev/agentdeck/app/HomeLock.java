package dev.agentdeck.app;

import dev.agentdeck.config.PrivateFiles;
import dev.agentdeck.config.Workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The one-engine-per-home rule: an OS lock on {@code engine.lock} in the data folder, held for as long as the
 * engine runs (the OS releases it when the process dies, even by {@code kill -9}). The file records the
 * holder's PID and kind so a second instance can say who has it.
 */
public final class HomeLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    /** Who holds a home. */
    public record Holder(long pid, String kind) {
        @Override
        public String toString() {
            return (kind.isEmpty() ? "another AgentDeck" : "agentdeck " + kind) + " (PID " + pid + ")";
        }
    }

    private HomeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the home's lock for an engine of the given kind ("panel" or "serve"), or says who holds it.
     *
     * @return the lock, or empty when another process (or another engine in this one) holds it
     */
    public static Optional<HomeLock> tryAcquire(Workspace ws, String kind) throws IOException {
        PrivateFiles.createDirectories(ws.dataDir());
        FileChannel ch = PrivateFiles.open(ws.engineLock(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            return Optional.empty();
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + " " + kind + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        return Optional.of(new HomeLock(ch, l));
    }

    /** Who the lock file says holds the home (meaningful while {@link #tryAcquire} fails). */
    public static Holder holder(Workspace ws) {
        try {
            String[] parts = Files.readString(ws.engineLock(), StandardCharsets.UTF_8).trim().split("\\s+");
            return new Holder(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
        } catch (IOException | RuntimeException e) {
            return new Holder(-1, "");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the OS releases it with the process anyway
        }
    }
}
