package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the peer benchmark reads from /proc about processes, and the one way it kills: by PID, only a process
 * whose start time is the one it had when first seen, and after a given moment (so a recycled PID is never
 * hit), never by name.
 */
final class Procs {
    /** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
    static final double HZ = 100.0;

    private Procs() {
    }

    /** One process as /proc/PID/stat shows it. */
    record Proc(long pid, long ppid, char state, long startTicks, long cpuTicks) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    static Optional<Proc> read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(new Proc(pid, Long.parseLong(f[1]), f[0].charAt(0), Long.parseLong(f[19]),
                    Long.parseLong(f[11]) + Long.parseLong(f[12])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The process exists and is not a zombie. */
    static boolean alive(long pid) {
        return read(pid).map(p -> !p.zombie()).orElse(false);
    }

    /** Alive and started at or after {@code sinceTicks}: one of ours, not a recycled PID. */
    static boolean aliveSince(long pid, long sinceTicks) {
        return read(pid).map(p -> !p.zombie() && p.startTicks() >= sinceTicks).orElse(false);
    }

    /** Now, in the clock ticks since boot that /proc's start times use. */
    static long nowTicks() {
        try {
            return (long) (Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]) * HZ);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/uptime", e);
        }
    }

    static long cpuTicks(long pid) {
        return read(pid).map(Proc::cpuTicks).orElse(0L);
    }

    static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    /** Every live process below the roots (a walk of the parent links of the whole table), roots excluded. */
    static Set<Long> descendants(Collection<Long> roots) {
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : dir) {
                read(Long.parseLong(p.getFileName().toString())).filter(i -> !i.zombie())
                        .ifPresent(i -> children.computeIfAbsent(i.ppid(), k -> new java.util.ArrayList<>()).add(i.pid()));
            }
        } catch (IOException e) {
            return Set.of();
        }
        Set<Long> found = new HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            for (long c : children.getOrDefault(todo.pop(), List.of())) {
                if (found.add(c)) {
                    todo.push(c);
                }
            }
        }
        return found;
    }

    /** The start ticks of each of these PIDs that is alive now (a PID's identity: a recycled PID has others). */
    static Map<Long, Long> identities(Collection<Long> pids) {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids) {
            read(pid).filter(p -> !p.zombie()).ifPresent(p -> out.put(pid, p.startTicks()));
        }
        return out;
    }

    /**
     * SIGKILL to each of these processes (PID to start ticks) that is alive with the same start ticks and
     * started at or after {@code sinceTicks}; how many.
     */
    static int kill(Map<Long, Long> identities, long sinceTicks) {
        int n = 0;
        for (Map.Entry<Long, Long> e : identities.entrySet()) {
            long pid = e.getKey();
            boolean same = read(pid).map(p -> !p.zombie() && p.startTicks() == e.getValue() && p.startTicks() >= sinceTicks)
                    .orElse(false);
            if (same) {
                n += ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false) ? 1 : 0;
            }
        }
        return n;
    }
}
