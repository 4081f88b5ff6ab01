package dev.agentdeck.discovery;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcessTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Finds agents that already run: by PID file (trusted only when the process's start time and command line
 * match; a recycled PID is never adopted, and its stale file is moved aside), then by the port the agent
 * listens on (a stranger holding it is a conflict, named), then by command line (exactly one match, never
 * AgentDeck itself or its ancestors). One pass lists the processes at most once, reads each command line at
 * most once, and reads a process's stat only when it matters. It only looks: it never signals a process.
 */
public final class Discovery {
    /** What a pass found for one agent. */
    public sealed interface Finding permits Adopt, Stale, Conflict, Ambiguous {
        String agentId();
    }

    /**
     * A running process that is the agent.
     *
     * @param how "PID file", "port 8001" or "command line"
     */
    public record Adopt(String agentId, long pid, long startTicks, Instant startedAt, boolean leadsGroup, String how,
                        String commandLine) implements Finding {
    }

    /**
     * The agent's PID file did not describe the agent: it was moved aside, the process left alone. The run it
     * recorded has ended; {@code cgroup} and {@code startTicks} are what it recorded of that run (its leftovers
     * may still live), or null.
     */
    public record Stale(String agentId, long pid, Path movedTo, String reason, String cgroup, Long startTicks)
            implements Finding {
    }

    /** Another program holds the agent's port. {@code pid} is -1 when the holder is not ours to see. */
    public record Conflict(String agentId, int port, long pid, String holder) implements Finding {
        public String message() {
            return "port " + port + " is held by " + (pid > 0 ? "PID " + pid + ": " + holder : holder);
        }
    }

    /** Several unrelated processes match the agent's command line; none was adopted. */
    public record Ambiguous(String agentId, List<Long> pids, String rule) implements Finding {
    }

    private static final Duration START_SLACK = Duration.ofSeconds(1);

    private final ProcessTable table;
    private final PidFiles pidFiles;
    private final long self;
    private final LongPredicate managed;
    private final LongPredicate foreign;
    private List<Long> pids;
    private Set<Long> ancestors;
    private Map<Long, List<String>> commandLines;
    private Map<Integer, Set<Long>> listeners;

    /**
     * @param managed true for PIDs the engine already supervises (never adopted again)
     */
    public Discovery(ProcessTable table, PidFiles pidFiles, long selfPid, LongPredicate managed) {
        this(table, pidFiles, selfPid, managed, pid -> false);
    }

    /**
     * @param foreign true for processes another AgentDeck workspace launched (they belong to that workspace's
     *                agents, whatever their command line: never adopted here)
     */
    public Discovery(ProcessTable table, PidFiles pidFiles, long selfPid, LongPredicate managed, LongPredicate foreign) {
        this.table = table;
        this.pidFiles = pidFiles;
        this.self = selfPid;
        this.managed = managed;
        this.foreign = foreign;
    }

    /** One pass over the given agents (those without a process). */
    public List<Finding> run(List<AgentSpec> specs) {
        List<Finding> out = new ArrayList<>();
        Set<Long> taken = new HashSet<>();
        for (AgentSpec spec : specs) {
            Finding byFile = byPidFile(spec, taken);
            if (byFile != null) {
                out.add(byFile); // a stale file is reported, and the search goes on
            }
            Finding found = byFile instanceof Adopt ? byFile : null;
            if (found == null && spec.port() != null) {
                Finding byPort = byPort(spec, taken);
                if (byPort instanceof Conflict) {
                    out.add(byPort);
                    continue; // a stranger holds the port: not this agent, whatever runs elsewhere
                }
                found = byPort;
                if (found != null) {
                    out.add(found);
                }
            }
            if (found == null) {
                found = byCommandLine(spec, taken);
                if (found != null) {
                    out.add(found);
                }
            }
            if (found instanceof Adopt a) {
                taken.add(a.pid());
            }
        }
        return out;
    }

    // ---- PID file -------------------------------------------------------------------------------------

    private Finding byPidFile(AgentSpec spec, Set<Long> taken) {
        Optional<PidFile> file;
        try {
            file = pidFiles.read(spec.id());
        } catch (IOException e) {
            return stale(spec, -1, "its PID file holds neither a PID nor AgentDeck's JSON", null);
        }
        if (file.isEmpty()) {
            return null;
        }
        PidFile pf = file.get();
        long pid = pf.pid();
        ProcInfo info = pid > 1 ? table.read(pid).orElse(null) : null;
        if (info == null || info.zombie()) {
            return stale(spec, pid, "process " + pid + " is gone", pf);
        }
        List<String> argv = table.commandLine(pid).orElse(List.of());
        String cmdline = String.join(" ", argv);
        if (pid == self || managed.test(pid) || taken.contains(pid)) {
            return stale(spec, pid, "PID " + pid + " belongs to AgentDeck itself or another agent", null);
        }
        String mismatch = pf.bareInteger() ? bareMismatch(spec, pf, info, argv) : jsonMismatch(pf, info, cmdline);
        if (mismatch != null) {
            return stale(spec, pid, "PID " + pid + " is now another process (" + mismatch + "): " + shorten(cmdline), pf);
        }
        return adopt(spec, info, "PID file", cmdline);
    }

    private String jsonMismatch(PidFile pf, ProcInfo info, String cmdline) {
        boolean sameBoot = pf.bootId() != null && pf.bootId().equals(table.bootId()) && pf.startTicks() != null;
        if (sameBoot) {
            if (pf.startTicks() != info.startTicks()) {
                return "it started at another time";
            }
        } else if (pf.startTime() == null || Duration.between(pf.startTime(), table.startInstant(info.startTicks())).abs()
                .compareTo(START_SLACK) > 0) {
            return "it started at another time";
        }
        if (pf.commandLine() != null && !pf.commandLine().equals(cmdline)) {
            return "its command line differs";
        }
        return null;
    }

    /** A bare PID has no start time: the process must match the agent and have started before the file was written. */
    private String bareMismatch(AgentSpec spec, PidFile pf, ProcInfo info, List<String> argv) {
        if (!CommandLineMatcher.matches(spec, argv)) {
            return "its command line is not " + CommandLineMatcher.describe(spec);
        }
        try {
            Instant written = Files.getLastModifiedTime(pidFiles.fileOf(spec.id())).toInstant();
            if (table.startInstant(info.startTicks()).isAfter(written.plus(START_SLACK))) {
                return "it started after the PID file was written";
            }
        } catch (IOException e) {
            return "its PID file cannot be dated";
        }
        return null;
    }

    private Stale stale(AgentSpec spec, long pid, String reason, PidFile ended) {
        Path moved = null;
        try {
            moved = pidFiles.moveAside(spec.id());
        } catch (IOException e) {
            // reported with the reason; the file stays, and is looked at again next pass
        }
        boolean sameBoot = ended != null && ended.bootId() != null && ended.bootId().equals(table.bootId());
        return new Stale(spec.id(), pid, moved, reason, ended == null ? null : ended.cgroup(),
                sameBoot ? ended.startTicks() : null);
    }

    // ---- port -----------------------------------------------------------------------------------------

    private Finding byPort(AgentSpec spec, Set<Long> taken) {
        if (listeners == null) {
            listeners = PortOwners.listeners();
        }
        Set<Long> inodes = listeners.get(spec.port());
        if (inodes == null) {
            return null;
        }
        Optional<Long> owner = PortOwners.ownerOf(inodes);
        if (owner.isEmpty()) {
            return new Conflict(spec.id(), spec.port(), -1, "a process AgentDeck may not inspect (another user's?)");
        }
        long pid = owner.get();
        // the listener may be a child of the agent (a shell script that runs a server): look up its ancestors
        for (ProcInfo p = table.read(pid).orElse(null); p != null && p.pid() > 1; p = table.read(p.ppid()).orElse(null)) {
            List<String> argv = commandLine(p.pid());
            if (p.pid() != self && !managed.test(p.pid()) && !taken.contains(p.pid()) && !p.zombie()
                    && CommandLineMatcher.matches(spec, argv) && !foreign.test(p.pid())) {
                return adopt(spec, p, "port " + spec.port(), String.join(" ", argv));
            }
        }
        List<String> argv = commandLine(pid);
        return new Conflict(spec.id(), spec.port(), pid, argv.isEmpty() ? "?" : programName(argv.get(0)));
    }

    // ---- command line ---------------------------------------------------------------------------------

    private Finding byCommandLine(AgentSpec spec, Set<Long> taken) {
        if (ancestors == null) {
            ancestors = ancestorsOfSelf();
        }
        // command lines first (read once per pass for all agents); stat only for the few that match
        Map<Long, ProcInfo> candidates = new HashMap<>();
        for (long pid : pids()) {
            if (pid == self || ancestors.contains(pid) || managed.test(pid) || taken.contains(pid)
                    || !CommandLineMatcher.matches(spec, commandLine(pid)) || foreign.test(pid)) {
                continue;
            }
            table.read(pid).filter(p -> !p.zombie() && !insideSupervisedTree(p, taken))
                    .ifPresent(p -> candidates.put(pid, p));
        }
        // a matching process whose parent also matches is part of that tree, not another instance
        List<ProcInfo> roots = candidates.values().stream().filter(c -> !candidates.containsKey(c.ppid())).toList();
        if (roots.isEmpty()) {
            return null;
        }
        if (roots.size() > 1) {
            return new Ambiguous(spec.id(), roots.stream().map(ProcInfo::pid).sorted().toList(), CommandLineMatcher.describe(spec));
        }
        ProcInfo found = roots.get(0);
        return adopt(spec, found, "command line", String.join(" ", commandLine(found.pid())));
    }

    /**
     * True for a process of another agent's tree (a child an agent started, in its session or process group, or
     * below it): it belongs to that agent and is never adopted as this one.
     */
    private boolean insideSupervisedTree(ProcInfo p, Set<Long> taken) {
        if (owned(p.sid(), taken) || owned(p.pgid(), taken)) {
            return true;
        }
        long parent = p.ppid();
        for (int depth = 0; depth < 64 && parent > 1; depth++) {
            if (owned(parent, taken)) {
                return true;
            }
            ProcInfo up = table.read(parent).orElse(null);
            if (up == null) {
                return false;
            }
            parent = up.ppid();
        }
        return false;
    }

    private boolean owned(long pid, Set<Long> taken) {
        return pid > 1 && pid != self && (managed.test(pid) || taken.contains(pid));
    }

    private Set<Long> ancestorsOfSelf() {
        Set<Long> out = new HashSet<>();
        long p = table.read(self).map(ProcInfo::ppid).orElse(0L);
        while (p > 1 && out.add(p)) {
            p = table.read(p).map(ProcInfo::ppid).orElse(0L);
        }
        return out;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private Adopt adopt(AgentSpec spec, ProcInfo info, String how, String cmdline) {
        return new Adopt(spec.id(), info.pid(), info.startTicks(), table.startInstant(info.startTicks()),
                info.pgid() == info.pid(), how, cmdline);
    }

    private List<Long> pids() {
        if (pids == null) {
            pids = table.pids();
        }
        return pids;
    }

    private List<String> commandLine(long pid) {
        if (commandLines == null) {
            commandLines = new HashMap<>();
        }
        return commandLines.computeIfAbsent(pid, p -> table.commandLine(p).orElse(List.of()));
    }

    static String programName(String argv0) {
        Path p = Path.of(argv0).getFileName();
        return p == null ? argv0 : p.toString();
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
