package dev.agentdeck.os;

import com.sun.jna.Platform;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the operating system's process table: one process, its command line, or a snapshot of all.
 * On Linux straight from /proc (one file per process holds everything the engine needs); elsewhere
 * through {@link ProcessHandle}.
 */
public interface ProcessTable {
    /** One process, or empty when it does not exist. */
    Optional<ProcInfo> read(long pid);

    /**
     * A handle that re-reads one process's figures cheaply. On Linux it keeps /proc/PID/stat open and re-reads
     * it in one {@code pread} (8 µs instead of 20 for open, read, close), and it is bound to that process, not
     * to its PID: once the process has ended, it reads null, even if the PID is reused.
     */
    default ProcStat open(long pid) {
        return new ProcStat() {
            @Override
            public ProcInfo read() {
                return ProcessTable.this.read(pid).orElse(null);
            }

            @Override
            public void close() {
                // nothing held
            }
        };
    }

    /** The PIDs of every process, without reading any of them (a directory listing on Linux). */
    default List<Long> pids() {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).toList();
    }

    /** Every process, in one pass. */
    ProcSnapshot scan();

    /** The process's arguments as it was started (argv), or empty when unreadable or gone. */
    Optional<List<String>> commandLine(long pid);

    /** One variable of the process's environment, when it is ours to read. */
    Optional<String> environmentVariable(long pid, String name);

    /**
     * Several variables of the process's environment in one read: those it has, by name; empty when it has
     * none of them or the environment is not ours to read.
     */
    default Map<String, String> environmentVariables(long pid, Collection<String> names) {
        Map<String, String> out = new HashMap<>();
        for (String n : names) {
            environmentVariable(pid, n).ifPresent(v -> out.put(n, v));
        }
        return out;
    }

    /**
     * True when other processes' environments can be read at all (Linux); false on the {@link ProcessHandle}
     * fallback, where {@link #environmentVariable} always answers empty.
     */
    default boolean readsEnvironments() {
        return false;
    }

    /**
     * The regular files a process holds open for writing (its descriptors' targets, opened write-only or
     * read-write), or an empty list when they are not ours to see (or not on Linux).
     */
    default List<java.nio.file.Path> filesOpenForWriting(long pid) {
        return List.of();
    }

    /** The user a process runs as (the owner of its /proc entry), or -1 when unknown or gone. */
    default long uid(long pid) {
        return -1;
    }

    /** The wall-clock start of a process from its start ticks. */
    Instant startInstant(long startTicks);

    /**
     * The start ticks a process starting now would have, rounded up: every process that exists now started at or
     * before this. (On Linux from /proc/uptime: boot time is known only to the second, too coarse for this.)
     */
    long ticksNow();

    /** An id of the current boot, so start ticks from an earlier boot are never mistaken for current ones. */
    String bootId();

    /** Clock ticks per second of {@link ProcInfo#cpuTicks()} and {@link ProcInfo#startTicks()}. */
    long ticksPerSecond();

    /** The table for this operating system. */
    static ProcessTable forThisOs() {
        return Platform.isLinux() && java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))
                ? new LinuxProcessTable() : new PortableProcessTable();
    }
}
