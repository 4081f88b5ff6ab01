package dev.agentdeck.discovery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which process listens on a TCP port, from /proc/net/tcp and tcp6 (the socket's inode) and the processes'
 * fd tables (who holds that socket). Reading the listeners is cheap; finding an owner walks /proc/PID/fd,
 * so it is done only for ports that are taken.
 */
public final class PortOwners {
    private static final Path PROC = Path.of("/proc");

    /** The inodes of the sockets listening on each port, from one read of /proc/net/tcp and tcp6. */
    public static Map<Integer, Set<Long>> listeners() {
        Map<Integer, Set<Long>> out = new HashMap<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                List<String> lines = Files.readAllLines(PROC.resolve(table));
                for (int i = 1; i < lines.size(); i++) {
                    String[] f = lines.get(i).trim().split("\\s+");
                    if (f.length < 10 || !f[3].equals("0A")) {
                        continue; // not LISTEN
                    }
                    int port = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
                    out.computeIfAbsent(port, k -> new HashSet<>()).add(Long.parseLong(f[9]));
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6, or not Linux: nothing listed from this table
            }
        }
        return out;
    }

    /** True when something listens on {@code port}. */
    public static boolean taken(int port) {
        return listeners().containsKey(port);
    }

    /**
     * The process holding a socket with one of these inodes, if we may see it (processes of other users
     * hide their fd tables).
     */
    public static Optional<Long> ownerOf(Set<Long> inodes) {
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        Set<String> links = new HashSet<>();
        inodes.forEach(i -> links.add("socket:[" + i + "]"));
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC)) {
            for (Path dir : procs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (links.contains(Files.readSymbolicLink(fd).toString())) {
                                return Optional.of(Long.parseLong(name));
                            }
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException e) {
                    // not ours to look at, or gone
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The process listening on {@code port}, if any and visible. */
    public static Optional<Long> ownerOf(int port) {
        Set<Long> inodes = listeners().get(port);
        return inodes == null ? Optional.empty() : ownerOf(inodes);
    }
}
