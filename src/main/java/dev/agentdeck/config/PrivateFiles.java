package dev.agentdeck.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The one place AgentDeck creates files and folders under a home: files are created 0600 and folders 0700
 * from the start (the mode is given to open(2) and mkdir(2), so there is no moment they are readable by
 * others), without touching the process's umask, which agents inherit. On a file system without POSIX
 * permissions (Windows) they are created plainly: the user's profile folder is private there.
 */
public final class PrivateFiles {
    /** The mode of every file AgentDeck creates under a home (also given to posix_spawn for agents' logs). */
    public static final int FILE_MODE = 0600;
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} and its missing parents, each 0700; an existing folder keeps its mode. */
    public static Path createDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(abs, folderAttributes(parent == null ? abs : parent));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return dir;
    }

    /** Opens {@code file} with {@code options}; when they create it, it is created 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        return FileChannel.open(file, set, fileAttributes(file));
    }

    /** An output stream on {@code file} (created 0600 when absent); {@code append} or truncate. */
    public static OutputStream newOutputStream(Path file, boolean append) throws IOException {
        return Channels.newOutputStream(open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
    }

    /** Appends {@code bytes} to {@code file}, creating it 0600 when absent. */
    public static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Creates {@code file} empty and 0600 when it does not exist; an existing file is left as it is. */
    public static Path touch(Path file) throws IOException {
        try {
            Files.createFile(file, fileAttributes(file));
        } catch (FileAlreadyExistsException e) {
            // kept as it is: its content is the caller's (a log that grows, a database)
        }
        return file;
    }

    /** A new empty file in {@code dir}, 0600. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, fileAttributes(dir));
    }

    /** Takes group and others' access away from a file (0600) that exists. */
    public static void restrict(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /** Whether anyone but the owner has any access to {@code p} (false where there are no POSIX permissions). */
    public static boolean tooOpen(Path p) throws IOException {
        if (!posix(p)) {
            return false;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        return perms.stream().anyMatch(x -> !x.name().startsWith("OWNER_"));
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] fileAttributes(Path near) {
        return posix(near) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] folderAttributes(Path near) {
        return posix(near) ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(FOLDER)} : new FileAttribute<?>[0];
    }
}
