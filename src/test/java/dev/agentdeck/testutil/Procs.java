package dev.agentdeck.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Looks at processes by PID through /proc, and kills only PIDs a test started itself. */
public final class Procs {
    private Procs() {
    }

    /** True when the process exists and is not a zombie. */
    public static boolean running(long pid) {
        char s = state(pid);
        return s != 0 && s != 'Z' && s != 'X';
    }

    /** The one-letter state from /proc/PID/stat, or 0 when the process does not exist. */
    public static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    public static long pgid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (IOException e) {
            return -1;
        }
    }

    /** KILLs the given PIDs (ones the test started) if they still run; for cleanup after a failed test. */
    public static void killAll(Collection<Long> pids) {
        for (Long pid : pids) {
            if (pid != null && pid > 1 && running(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    public static long readPid(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
