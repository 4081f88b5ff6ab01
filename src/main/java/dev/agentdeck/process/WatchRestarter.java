package dev.agentdeck.process;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Restarts a running agent when a path in its {@code watch} list changes. Paths are relative to the agent's cwd
 * (itself relative to the config folder, as {@link LaunchPlanner} resolves it) or absolute; a file is watched
 * through its folder, a folder with all its subfolders (new ones too), except {@link #SKIPPED} names, the
 * workspace's logs, run and data folders and the engine's own files, at most {@link #MAX_DIRS} folders.
 * A path that does not exist is reported once and picked up when it appears in its (existing) parent folder.
 * <p>
 * A burst of changes restarts the agent once, {@code debounceMs} after the last one, with a WATCH_RESTART
 * event naming what changed. Only a starting or running agent is restarted; a stopped, paused or stopping one
 * is left as it is. One thread (the engine's watch thread) reads the notifications; the plan follows the agent
 * list through the engine's events.
 */
final class WatchRestarter implements EngineListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchRestarter.class);
    static final int MAX_DIRS = 2_000;
    static final Set<String> SKIPPED = Set.of(".git", "node_modules", "__pycache__", "target", "build");
    /** Files of the engine itself, directly in the config or data folder: a watched home must not restart on them. */
    private static final List<String> ENGINE_FILES = List.of("agents.json", ".agents.json.", "settings.json",
            ".settings.json.", "history.db", "agentdeck", "engine.lock", "api.json", "api.token", "serve.out.log");
    private static final int NAMED = 5;
    /** How long changes must settle before the restart (an editor's save is several events). */
    static final long DEBOUNCE_MS = 500;

    private final Workspace workspace;
    private final Supplier<List<AgentSpec>> agents;
    private final Function<String, Optional<AgentSupervisor>> find;
    private final EventHub hub;
    private final ScheduledExecutorService timer;
    private final Executor work;
    private final long debounceMs;
    private final String name;
    private final Subscription subscription;
    /** Made when the first agent needs them, so an engine without watched agents holds no inotify instance. */
    private WatchService service;
    private Thread thread;
    private boolean closed;
    /** Guarded by this. */
    private List<Watch> watches = List.of();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Map<String, Set<Path>> changed = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> debounce = new HashMap<>();
    /** "id\0path" of missing paths already reported. */
    private final Set<String> reportedMissing = new HashSet<>();
    private boolean capReported;

    /** One agent's watched paths, resolved; {@code cwd} names them in events. */
    private record Watch(String id, Path cwd, List<Path> roots) {
        boolean covers(Path p) {
            return roots.stream().anyMatch(p::startsWith);
        }
    }

    WatchRestarter(Workspace workspace, Supplier<List<AgentSpec>> agents, Function<String, Optional<AgentSupervisor>> find,
                   EventHub hub, ScheduledExecutorService timer, Executor work, long debounceMs, String name) {
        this.workspace = workspace;
        this.agents = agents;
        this.find = find;
        this.hub = hub;
        this.timer = timer;
        this.work = work;
        this.debounceMs = debounceMs;
        this.name = name;
        this.subscription = hub.subscribe(this);
        resync();
    }

    @Override
    public void onEvent(AgentEvent e) {
        switch (e.type()) {
            case AGENT_ADDED, AGENT_CHANGED, AGENT_REMOVED, CONFIG_RELOADED -> {
                try {
                    work.execute(this::resync);
                } catch (RejectedExecutionException closing) {
                    // the engine is closing
                }
            }
            default -> {
            }
        }
    }

    /** Resolves every agent's watch list and watches exactly the folders it needs. */
    synchronized void resync() {
        if (closed) {
            return;
        }
        List<Watch> next = new ArrayList<>();
        for (AgentSpec a : agents.get()) {
            if (!a.watch().isEmpty()) {
                Path cwd = a.cwd() == null ? workspace.configDir()
                        : workspace.configDir().resolve(LaunchPlanner.expandHome(a.cwd())).normalize();
                next.add(new Watch(a.id(), cwd, a.watch().stream()
                        .map(w -> cwd.resolve(LaunchPlanner.expandHome(w)).normalize()).toList()));
            }
        }
        watches = next;
        if (!next.isEmpty() && !started()) {
            return;
        }
        Set<Path> wanted = new LinkedHashSet<>();
        for (Watch w : next) {
            for (Path root : w.roots()) {
                folders(w.id(), root, wanted);
            }
        }
        keys.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
        wanted.forEach(dir -> register(dir, null));
    }

    /** Starts the watch service and its thread if they are not running yet; false (and reported) when it cannot. */
    private boolean started() {
        if (service != null) {
            return true;
        }
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            hub.publish(null, EventType.ERROR, "watched paths are not watched: " + e.getMessage(), Map.of());
            return false;
        }
        WatchService s = service;
        thread = new Thread(() -> loop(s), "agentdeck-watch-" + name);
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Adds the folders that show changes of {@code root} to {@code out}: its tree, or the folder it is (to be) in. */
    private void folders(String id, Path root, Set<Path> out) {
        if (Files.isDirectory(root)) {
            reportedMissing.remove(id + "\0" + root);
            walk(root, out, id);
            return;
        }
        Path parent = root.getParent();
        boolean parentThere = parent != null && Files.isDirectory(parent);
        if (parentThere) {
            out.add(parent);
        }
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            reportedMissing.remove(id + "\0" + root);
        } else if (reportedMissing.add(id + "\0" + root)) {
            hub.publish(id, EventType.ERROR, "watch path " + root + " does not exist; "
                    + (parentThere ? "it is watched once it appears" : "it is not watched"), Map.of("path", root.toString()));
        }
    }

    /** Adds {@code top} and its subfolders, skipping what is never watched, up to {@link #MAX_DIRS} in all. */
    private void walk(Path top, Set<Path> out, String id) {
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(top) && skipped(dir)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (out.size() >= MAX_DIRS && !out.contains(dir)) {
                        reportCap(id);
                        return FileVisitResult.TERMINATE;
                    }
                    out.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot walk {}: {}", top, e.toString());
        }
    }

    private void reportCap(String id) {
        if (!capReported) {
            capReported = true;
            hub.publish(id, EventType.ERROR, "more than " + MAX_DIRS + " folders to watch; the rest are not watched"
                    + " (watch fewer or smaller folders)", Map.of("limit", MAX_DIRS));
        }
    }

    private void register(Path dir, String idForCap) {
        if (keys.containsKey(dir)) {
            return;
        }
        if (keys.size() >= MAX_DIRS) {
            reportCap(idForCap);
            return;
        }
        try {
            keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("cannot watch {}: {}", dir, e.toString());
        }
    }

    /** Never watched: tool and build folders, the workspace's own folders, the engine's own files. */
    private boolean skipped(Path p) {
        Path name = p.getFileName();
        if (name == null) {
            return false;
        }
        if (SKIPPED.contains(name.toString()) || p.startsWith(workspace.logsDir()) || p.startsWith(workspace.runDir())
                || (!workspace.flat() && p.startsWith(workspace.dataDir()))) {
            return true;
        }
        Path parent = p.getParent();
        return (workspace.configDir().equals(parent) || workspace.dataDir().equals(parent))
                && ENGINE_FILES.stream().anyMatch(name.toString()::startsWith);
    }

    private void loop(WatchService service) {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> e : key.pollEvents()) {
                    Path p = e.context() instanceof Path name ? dir.resolve(name) : dir;
                    onChange(p, e.kind() == StandardWatchEventKinds.ENTRY_CREATE);
                }
                if (!key.reset()) {
                    forget(dir, key);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private synchronized void forget(Path dir, WatchKey key) {
        keys.remove(dir, key);
    }

    /** Notes a change for every agent watching {@code p}; a new folder inside a watched tree is watched too. */
    private synchronized void onChange(Path p, boolean created) {
        if (skipped(p)) {
            return;
        }
        List<Watch> watching = watches.stream().filter(w -> w.covers(p)).toList();
        if (watching.isEmpty()) {
            return;
        }
        if (created && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Set<Path> found = new LinkedHashSet<>();
            walk(p, found, watching.get(0).id());
            found.forEach(dir -> register(dir, watching.get(0).id()));
        }
        for (Watch w : watching) {
            changed.computeIfAbsent(w.id(), k -> new LinkedHashSet<>()).add(p);
            ScheduledFuture<?> before = debounce.remove(w.id());
            if (before != null) {
                before.cancel(false);
            }
            try {
                debounce.put(w.id(), timer.schedule(() -> settled(w), debounceMs, TimeUnit.MILLISECONDS));
            } catch (RejectedExecutionException closing) {
                return;
            }
        }
    }

    /** The changes of {@code w} settled: restart the agent if it runs, on its own serial executor. */
    private void settled(Watch w) {
        Set<Path> paths;
        synchronized (this) {
            debounce.remove(w.id());
            paths = changed.remove(w.id());
        }
        AgentSupervisor s = find.apply(w.id()).orElse(null);
        if (paths == null || s == null) {
            return;
        }
        s.serial.execute(() -> {
            AgentState state = s.status().state();
            // the agent may have lost its watch, or left agents.json, since the change was seen
            boolean stillWatched = !s.status().removed() && !s.spec().watch().isEmpty();
            if (stillWatched && (state == AgentState.RUNNING || state == AgentState.STARTING)) {
                List<String> named = paths.stream().map(p -> shown(w.cwd(), p)).toList();
                String list = String.join(", ", named.subList(0, Math.min(NAMED, named.size())))
                        + (named.size() > NAMED ? " and " + (named.size() - NAMED) + " more" : "");
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("paths", named.subList(0, Math.min(NAMED, named.size())));
                details.put("count", named.size());
                hub.publish(w.id(), EventType.WATCH_RESTART, "restarting: " + list + " changed", details);
                s.restartFor("watched files changed");
            }
        });
    }

    private static String shown(Path cwd, Path p) {
        return p.startsWith(cwd) && !p.equals(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscription.close();
        debounce.values().forEach(f -> f.cancel(false));
        debounce.clear();
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing to do
            }
            thread.interrupt();
        }
    }
}
