package dev.agentdeck.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Waits for the children started by {@link PosixSpawner} to end, reaps them, and completes each one's
 * future with its exit code (128 + n when signal n ended it). One thread polls a pidfd per child (Linux 5.3
 * and later), so starting a hundred agents does not start a hundred reaper threads; where pidfds are
 * missing, a small thread per child blocks in waitpid instead, as the JDK does.
 */
public final class ChildWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildWatcher.class);
    private static final short POLLIN = 1;
    private static final int WNOHANG = 1;
    private static final int EINTR = 4;
    private static final int EFD_CLOEXEC = 02000000;

    interface Lib extends Library {
        int pidfd_open(int pid, int flags) throws LastErrorException;

        int eventfd(int initval, int flags) throws LastErrorException;

        int poll(Memory fds, int nfds, int timeout) throws LastErrorException;

        int waitpid(int pid, int[] status, int options) throws LastErrorException;

        long read(int fd, Memory buf, long count) throws LastErrorException;

        long write(int fd, Memory buf, long count) throws LastErrorException;

        int close(int fd);
    }

    private record Watched(long pid, int pidfd, CompletableFuture<Integer> exit) {
    }

    private final Lib lib;
    private final PosixSpawner spawner;
    private final int wakeFd;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Watched> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Watched> byFd = new HashMap<>();
    private volatile boolean closed;

    private ChildWatcher(Lib lib, PosixSpawner spawner, int wakeFd, String name) {
        this.lib = lib;
        this.spawner = spawner;
        this.wakeFd = wakeFd;
        if (lib != null) {
            thread = new Thread(this::loop, "agentdeck-children-" + name);
            thread.setDaemon(true);
            thread.start();
        } else {
            thread = null;
        }
    }

    /** A watcher on pidfds when this kernel has them, else one that uses a thread per child. */
    public static ChildWatcher create(PosixSpawner spawner, String name) {
        if (Platform.isLinux()) {
            try {
                Lib lib = Native.load(Platform.C_LIBRARY_NAME, Lib.class);
                lib.close(lib.pidfd_open((int) ProcessHandle.current().pid(), 0));
                return new ChildWatcher(lib, spawner, lib.eventfd(0, EFD_CLOEXEC), name);
            } catch (LastErrorException | UnsatisfiedLinkError e) {
                LOG.info("no pidfd support ({}); one reaper thread per agent", e.getMessage());
            }
        }
        return new ChildWatcher(null, spawner, -1, name);
    }

    /** The exit code of child {@code pid}, once it has ended and been reaped. */
    public CompletableFuture<Integer> watch(long pid) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        if (lib == null) {
            Thread reaper = new Thread(null, () -> exit.complete(spawner.waitFor(pid)), "agentdeck-reaper-" + pid, 64 * 1024);
            reaper.setDaemon(true);
            reaper.start();
            return exit;
        }
        int fd = lib.pidfd_open((int) pid, 0);
        incoming.add(new Watched(pid, fd, exit));
        wake();
        return exit;
    }

    private void wake() {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        lib.write(wakeFd, one, 8);
    }

    private void loop() {
        Memory drain = new Memory(8);
        while (!closed) {
            for (Watched w; (w = incoming.poll()) != null; ) {
                byFd.put(w.pidfd(), w);
            }
            int n = byFd.size() + 1;
            Memory fds = new Memory(8L * n);
            fds.setInt(0, wakeFd);
            fds.setShort(4, POLLIN);
            fds.setShort(6, (short) 0);
            int i = 1;
            for (int fd : byFd.keySet()) {
                fds.setInt(8L * i, fd);
                fds.setShort(8L * i + 4, POLLIN);
                fds.setShort(8L * i + 6, (short) 0);
                i++;
            }
            try {
                lib.poll(fds, n, -1);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    LOG.error("poll on child pidfds failed", e);
                    return;
                }
                continue;
            }
            if (fds.getShort(6) != 0) {
                lib.read(wakeFd, drain, 8);
            }
            for (int k = 1; k < n; k++) {
                if (fds.getShort(8L * k + 6) != 0) {
                    reap(byFd.remove(fds.getInt(8L * k)));
                }
            }
        }
    }

    private void reap(Watched w) {
        int[] status = new int[1];
        int code;
        try {
            int r = lib.waitpid((int) w.pid(), status, WNOHANG);
            int signal = status[0] & 0x7f;
            code = r == 0 ? -1 : signal == 0 ? (status[0] >> 8) & 0xff : 128 + signal;
        } catch (LastErrorException e) {
            code = -1;
        }
        lib.close(w.pidfd());
        w.exit().complete(code);
    }

    @Override
    public void close() {
        closed = true;
        if (lib != null) {
            wake();
        }
    }
}
