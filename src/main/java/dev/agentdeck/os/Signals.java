package dev.agentdeck.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import dev.agentdeck.core.Signal;

/**
 * Sends signals to processes and process groups with libc's {@code kill(2)}.
 * Every method answers whether the target existed; none throws for a process that is already gone.
 */
public final class Signals {
    private Signals() {
    }

    /** Sends {@code signal} to one process. False when there is no such process. */
    public static boolean send(long pid, Signal signal) {
        return kill(checkedPid(pid), signal.number());
    }

    /** Sends {@code signal} to every process of the group {@code pgid}. False when the group is empty. */
    public static boolean sendGroup(long pgid, Signal signal) {
        return kill(-checkedPid(pgid), signal.number());
    }

    /** True while a process with this PID exists (zombies included: ask the process table for state). */
    public static boolean exists(long pid) {
        return kill(checkedPid(pid), 0);
    }

    /** True while any process of the group exists (zombies included). */
    public static boolean groupExists(long pgid) {
        return kill(-checkedPid(pgid), 0);
    }

    /** The process group of {@code pid}, or -1 when it is gone. */
    public static long processGroup(long pid) {
        try {
            return LibC.INSTANCE.getpgid(checkedPid(pid));
        } catch (LastErrorException e) {
            return -1;
        }
    }

    /** This JVM's PID as libc sees it. */
    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Makes this process a child subreaper (Linux): orphaned descendants of our agents are re-parented to
     * us instead of PID 1, so they can still be found and stopped, and we reap them.
     */
    public static boolean becomeSubreaper() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            return LibC.INSTANCE.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** Reaps one zombie child without blocking; true when it was reaped. */
    public static boolean reap(long pid) {
        try {
            return LibC.INSTANCE.waitpid(checkedPid(pid), new int[1], LibC.WNOHANG) > 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    private static boolean kill(int pid, int sig) {
        try {
            LibC.INSTANCE.kill(pid, sig);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.ESRCH) {
                return false;
            }
            if (e.getErrorCode() == LibC.EPERM) {
                // It exists but is not ours to signal.
                throw new SecurityException("not permitted to signal PID " + Math.abs(pid));
            }
            throw new IllegalStateException("kill(" + pid + ", " + sig + ") failed: errno " + e.getErrorCode(), e);
        }
    }

    private static int checkedPid(long pid) {
        // kill(0) and kill(-1) would hit our own group or every process we may signal: never allow them.
        if (pid <= 1 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("refusing to signal PID " + pid);
        }
        return (int) pid;
    }
}
