package dev.agentdeck.process;

import dev.agentdeck.core.DaemonSpec;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds the daemon a launcher left behind (daemon mode, {@link DaemonSpec}), once the launcher has exited 0: the
 * process its {@code pidFile} names, or the one process of the run still alive. A PID is taken only when it is a
 * process of this run (a member of its unit, or carrying the agent's identity) that started no earlier than the
 * launcher, so a stale PID file from an earlier run, or one naming someone else's process, is never trusted.
 */
final class DaemonFinder {
    /** What one look found. */
    sealed interface Result permits Found, NotYet, Refused {
    }

    /** The daemon, and how it was found ("PID file /run/x.pid", "the one process left"). */
    record Found(ProcInfo daemon, String how) implements Result {
    }

    /** Nothing usable yet (the PID file is not written, the daemon not forked); why, for when time runs out. */
    record NotYet(String why) implements Result {
    }

    /** Looking longer cannot help: why. */
    record Refused(String why) implements Result {
    }

    private final ProcessTable table;
    private final ProcessOwners owners;

    DaemonFinder(ProcessTable table, ProcessOwners owners) {
        this.table = table;
        this.owners = owners;
    }

    /**
     * One look for the daemon of the run whose launcher was {@code launcher}.
     *
     * @param cwd the agent's working folder, which a relative {@code pidFile} is read from
     */
    Result look(String agentId, DaemonSpec daemon, Path cwd, StopTarget launcher) {
        ProcSnapshot snap = table.scan();
        Map<Long, ProcInfo> members = launcher.members(snap, table);
        return daemon.pidFile() != null ? byPidFile(agentId, cwd.resolve(daemon.pidFile()).normalize(), launcher, snap, members)
                : byLastProcess(members);
    }

    private Result byPidFile(String agentId, Path file, StopTarget launcher, ProcSnapshot snap, Map<Long, ProcInfo> members) {
        long pid;
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
            int end = 0;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            if (end == 0 || end > 10) {
                return new NotYet(file + " holds no PID" + (text.isEmpty() ? " yet" : ": \"" + shorten(text) + "\""));
            }
            pid = Long.parseLong(text.substring(0, end));
        } catch (IOException e) {
            return new NotYet(file + " was not written");
        }
        ProcInfo p = snap.get(pid).orElseGet(() -> table.read(pid).orElse(null));
        if (p == null || p.zombie()) {
            return new NotYet(file + " names PID " + pid + ", which is not running");
        }
        if (launcher.startTicks() >= 0 && p.startTicks() < launcher.startTicks()) {
            return new NotYet(file + " names PID " + pid + ", which started before this run (an old PID file?)");
        }
        if (!members.containsKey(pid) && !agentId.equals(owners.agentOf(pid))) {
            return new NotYet(file + " names PID " + pid + ", which is not a process of this run; it is left alone");
        }
        return new Found(p, "PID file " + file);
    }

    private static Result byLastProcess(Map<Long, ProcInfo> members) {
        List<ProcInfo> roots = members.values().stream().filter(m -> !members.containsKey(m.ppid())).toList();
        if (roots.isEmpty()) {
            return new NotYet("the launcher left no process running");
        }
        if (roots.size() > 1) {
            return new Refused(roots.size() + " processes of the run are still running (PIDs "
                    + roots.stream().map(ProcInfo::pid).sorted().toList() + "); name the daemon with daemon.pidFile");
        }
        return new Found(roots.get(0), "the one process the launcher left");
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
