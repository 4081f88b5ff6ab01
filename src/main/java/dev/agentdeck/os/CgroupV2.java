package dev.agentdeck.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The unified (v2) cgroup hierarchy as this process sees it: where it is mounted, which cgroup a process is
 * in, and the few files of a cgroup the engine uses ({@code cgroup.procs} for membership, {@code cgroup.events}
 * for "populated", {@code cgroup.kill} to end every member at once, Linux 5.14+). Linux only; {@link #find()}
 * is empty elsewhere and where no cgroup2 file system is mounted.
 */
public final class CgroupV2 {
    private final Path mountPoint;
    /** The part of the hierarchy the mount shows (its root within the hierarchy, "/" for the whole). */
    private final String mountRoot;

    CgroupV2(Path mountPoint, String mountRoot) {
        this.mountPoint = mountPoint;
        this.mountRoot = mountRoot;
    }

    /** The hierarchy, when a cgroup2 file system is mounted (pure v2, or the "unified" mount of a hybrid system). */
    public static Optional<CgroupV2> find() {
        try {
            return parseMountInfo(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The first cgroup2 mount of a {@code /proc/PID/mountinfo} text. */
    static Optional<CgroupV2> parseMountInfo(List<String> lines) {
        for (String line : lines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length >= 5) {
                return Optional.of(new CgroupV2(Path.of(unescape(before[4])), unescape(before[3])));
            }
        }
        return Optional.empty();
    }

    /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** The folder of the cgroup a process is in, or empty when it is gone or outside what this mount shows. */
    public Optional<Path> cgroupOf(long pid) {
        try {
            return parseProcCgroup(Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The v2 line ({@code 0::/path}) of a {@code /proc/PID/cgroup} text, as a folder under the mount. */
    Optional<Path> parseProcCgroup(List<String> lines) {
        for (String line : lines) {
            if (!line.startsWith("0::")) {
                continue;
            }
            String path = line.substring(3);
            if (path.endsWith(" (deleted)")) {
                return Optional.empty();
            }
            String root = mountRoot.equals("/") ? "" : mountRoot;
            if (!root.isEmpty() && !(path.equals(root) || path.startsWith(root + "/"))) {
                return Optional.empty();
            }
            String rel = path.substring(root.length());
            while (rel.startsWith("/")) {
                rel = rel.substring(1);
            }
            return Optional.of(rel.isEmpty() ? mountPoint : mountPoint.resolve(rel));
        }
        return Optional.empty();
    }

    /** True when {@code dir} is a cgroup of this hierarchy (a folder under the mount holding cgroup.procs). */
    public boolean contains(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return d.startsWith(mountPoint) && Files.isRegularFile(d.resolve("cgroup.procs"));
    }

    /** The PIDs in a cgroup (its own members, not its children's); empty when it is gone. */
    public static List<Long> procs(Path dir) {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    out.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
        return out;
    }

    /** True while the cgroup or one below it has a live process ({@code populated 1} in cgroup.events). */
    public static boolean populated(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("cgroup.events"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("populated ")) {
                    return !line.endsWith(" 0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return !procs(dir).isEmpty();
    }

    /** Makes a child cgroup (or finds it made); throws when this user may not. */
    public static Path create(Path parent, String name) throws IOException {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made by an earlier run or engine: fine
        }
        return dir;
    }

    /**
     * Sends KILL to every process of the cgroup and its children at once ({@code cgroup.kill}, Linux 5.14+).
     * False when the kernel has no cgroup.kill or it cannot be written; the caller then signals members one by one.
     */
    public static boolean kill(Path dir) {
        Path file = dir.resolve("cgroup.kill");
        if (!Files.exists(file)) {
            return false;
        }
        try {
            Files.writeString(file, "1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes an empty cgroup; false while it still has processes or children, or when it is already gone. */
    public static boolean remove(Path dir) {
        try {
            Files.delete(dir);
            return true;
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            // EBUSY while populated comes as a FileSystemException
            return false;
        }
    }
}
