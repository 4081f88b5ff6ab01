package dev.agentdeck.app;

import dev.agentdeck.config.PrivateFiles;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * AgentDeck's own log file, as java.util.logging's FileHandler keeps it ({@code agentdeck-0.log} the newest,
 * rotated by size into {@code -1} and {@code -2}; a second process on the same folder, such as a panel attached
 * to a serve, writes {@code agentdeck-0.log.1} and so on, told apart by a locked {@code .lck} file), except that
 * every file is created 0600 ({@link PrivateFiles}): FileHandler creates them with the umask's mode, and a
 * rotation makes a new one.
 */
final class EngineLogHandler extends StreamHandler {
    private final Path dir;
    private final String unique;
    private final long limit;
    private final int count;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long written;

    private EngineLogHandler(Path dir, String unique, long limit, int count, Path lockFile, FileChannel lockChannel,
                             FileLock lock) throws IOException {
        this.dir = dir;
        this.unique = unique;
        this.limit = limit;
        this.count = count;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        Path current = file(0);
        written = Files.exists(current) ? Files.size(current) : 0;
        setOutputStream(meter(PrivateFiles.newOutputStream(current, true)));
    }

    /** Opens the log in {@code dir} (created 0700 when missing), appending to the newest file. */
    static EngineLogHandler open(Path dir, long limit, int count) throws IOException {
        PrivateFiles.createDirectories(dir);
        for (int u = 0; u < 100; u++) {
            String unique = u == 0 ? "" : "." + u;
            Path lockFile = dir.resolve("agentdeck-0.log" + unique + ".lck");
            FileChannel ch = PrivateFiles.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this process has it already (a second engine in one JVM)
            }
            if (l != null) {
                return new EngineLogHandler(dir, unique, limit, count, lockFile, ch, l);
            }
            ch.close();
        }
        throw new IOException("100 processes already log into " + dir);
    }

    private Path file(int generation) {
        return dir.resolve("agentdeck-" + generation + ".log" + unique);
    }

    private OutputStream meter(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written += len;
            }
        };
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        super.publish(record);
        flush();
        if (written >= limit) {
            rotate();
        }
    }

    /** The newest file becomes -1, -1 becomes -2 and so on; the oldest goes; a new newest file starts empty. */
    private void rotate() {
        setOutputStream(OutputStream.nullOutputStream()); // closes the current file
        try {
            Files.deleteIfExists(file(count - 1));
            for (int g = count - 2; g >= 0; g--) {
                if (Files.exists(file(g))) {
                    Files.move(file(g), file(g + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            written = 0;
            setOutputStream(meter(PrivateFiles.newOutputStream(file(0), false)));
        } catch (IOException e) {
            reportError("could not rotate " + file(0), e, ErrorManager.OPEN_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        super.close();
        try {
            lock.release();
            lockChannel.close();
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            // the OS releases the lock with the process anyway
        }
    }
}
