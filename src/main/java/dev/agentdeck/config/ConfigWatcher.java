package dev.agentdeck.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Notices when agents.json changes on disk (an editor saved it, by writing or by renaming a new file over
 * it) and calls back once the changes settle for {@code debounceMs}. Uses the platform's file notification
 * (inotify on Linux): no polling.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    private final WatchService service;
    private final Thread thread;
    private final Path file;
    private final ScheduledExecutorService timer;
    private final long debounceMs;
    private final Runnable onChange;
    private ScheduledFuture<?> pending;

    public ConfigWatcher(Path file, ScheduledExecutorService timer, long debounceMs, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath();
        this.timer = timer;
        this.debounceMs = debounceMs;
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::loop, "agentdeck-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean ours = key.pollEvents().stream().anyMatch(e -> e.context() instanceof Path p
                        && p.getFileName().toString().equals(file.getFileName().toString()));
                key.reset();
                if (ours) {
                    schedule();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(() -> {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.error("reacting to a change of {} failed", file, e);
            }
        }, debounceMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            // nothing to do
        }
        thread.interrupt();
    }
}
