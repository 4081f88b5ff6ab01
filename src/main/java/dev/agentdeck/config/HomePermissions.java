package dev.agentdeck.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Takes group and others' access away from what an older AgentDeck left open in a home (files were 0644 and
 * folders 0755 then): run once when an engine opens it. Only AgentDeck's own entries are touched: its files at
 * the top of the config and data folders (by name) and its folders ({@code logs/}, {@code run/}, {@code tls/},
 * {@code templates/}, {@code demo/}) with everything in them; an agent's scripts or anything else the user keeps
 * in a {@code --home} folder is theirs and left alone. Symbolic links are neither followed nor changed. Owner
 * bits are kept (0644 becomes 0600, 0755 becomes 0700). The platform's {@code agentdeck} folders are tightened
 * themselves; a folder given as {@code --home} keeps its own mode (it is 0700 when AgentDeck creates it).
 * An {@code api.token} others could read is removed instead: it may be known, and the API makes a new one.
 */
public final class HomePermissions {
    private static final Set<String> FILES = Set.of("agents.json", "agents.json.bak", "settings.json", "panel.json",
            "panel.json.bad", "workspaces.json", "known-engines.json", "history.db", "history.db-wal", "history.db-shm",
            "history.db-journal", "api.json", "engine.lock", "serve.out.log", ".demo-generated");
    /** Engine logs and their locks, history moved aside, unreadable files kept aside, atomic writes' temp files. */
    private static final Pattern NAMES = Pattern.compile("agentdeck-\\d+\\.log(\\.\\d+)?(\\.lck)?"
            + "|history\\.db\\.corrupt-\\d+(-wal|-shm)?|workspaces\\.json\\.unreadable-\\d+|\\..+\\.tmp|api\\.token.*\\.new");
    private static final Set<String> FOLDERS = Set.of("logs", "run", "tls", "templates", "demo");
    private static final String TOKEN = "api.token";

    /**
     * What was tightened: counts, and what could not be changed (each with the reason).
     *
     * @param tokenRemoved an api.token others could read was removed
     */
    public record Tightened(Path home, int files, int folders, boolean tokenRemoved, List<String> failed) {
        /** True when there is something to say. */
        public boolean any() {
            return files > 0 || folders > 0 || tokenRemoved || !failed.isEmpty();
        }

        /** One sentence for the log and the engine's event. */
        public String message() {
            List<String> parts = new ArrayList<>();
            if (files > 0 || folders > 0) {
                parts.add("made " + files + " file" + (files == 1 ? "" : "s") + " and " + folders + " folder"
                        + (folders == 1 ? "" : "s") + " in " + home + " private to you (an older AgentDeck left them"
                        + " readable by others)");
            }
            if (tokenRemoved) {
                parts.add("removed " + TOKEN + ", which others could read (the API makes a new token)");
            }
            if (!failed.isEmpty()) {
                parts.add("could not make " + failed.size() + " private: " + String.join("; ", failed));
            }
            return String.join("; ", parts);
        }
    }

    private HomePermissions() {
    }

    /** Tightens the workspace's files and folders; never throws (what fails is listed in the result). */
    public static Tightened tighten(Workspace ws) {
        Walk w = new Walk();
        Set<Path> roots = new LinkedHashSet<>(List.of(ws.configDir(), ws.dataDir()));
        for (Path root : roots) {
            if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS) || !PrivateFiles.posix(root)) {
                continue;
            }
            if (!ws.flat()) {
                w.tighten(root, true);
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                for (Path p : entries) {
                    w.entry(p);
                }
            } catch (IOException e) {
                w.failed.add(root + " (" + e.getMessage() + ")");
            }
        }
        return new Tightened(ws.flat() ? ws.configDir() : ws.dataDir(), w.files, w.folders, w.tokenRemoved, List.copyOf(w.failed));
    }

    private static final class Walk {
        int files;
        int folders;
        boolean tokenRemoved;
        final List<String> failed = new ArrayList<>();

        void entry(Path p) {
            String name = p.getFileName().toString();
            if (Files.isSymbolicLink(p)) {
                return;
            }
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                if (name.equals(TOKEN)) {
                    token(p);
                } else if (FILES.contains(name) || NAMES.matcher(name).matches()) {
                    tighten(p, false);
                }
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && FOLDERS.contains(name)) {
                tree(p);
            }
        }

        private void token(Path p) {
            try {
                if (PrivateFiles.tooOpen(p)) {
                    Files.delete(p);
                    tokenRemoved = true;
                }
            } catch (IOException e) {
                failed.add(p + " (" + e.getMessage() + ")");
            }
        }

        private void tree(Path top) {
            try {
                Files.walkFileTree(top, new SimpleFileVisitor<>() { // links are not followed: they come as links
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        tighten(dir, true);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile()) {
                            tighten(file, false);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        failed.add(file + " (" + e.getMessage() + ")");
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                failed.add(top + " (" + e.getMessage() + ")");
            }
        }

        void tighten(Path p, boolean folder) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
                perms.stream().filter(x -> x.name().startsWith("OWNER_")).forEach(owner::add);
                if (owner.size() == perms.size()) {
                    return;
                }
                Files.setPosixFilePermissions(p, owner);
                if (folder) {
                    folders++;
                } else {
                    files++;
                }
            } catch (IOException | UnsupportedOperationException e) {
                failed.add(p + " (" + e.getMessage() + ")");
            }
        }
    }
}
