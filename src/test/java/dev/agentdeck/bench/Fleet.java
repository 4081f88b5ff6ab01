package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The agents of one workload: {@code size} copies of a small shell script, defined in a manager as
 * {@code a0..a(size-1)} and run as {@code script pidFile}. Each copy appends "a PID" for itself and
 * "c PID" for each child to the shared PID file, so the benchmark knows every process the manager's agents
 * made (children forked during a stop too) without asking the manager, and can count survivors and kill
 * exactly those PIDs.
 */
final class Fleet {
    /** What the agents do. */
    enum Kind {
        /** {@code exec sleep 3600}: exits at once on TERM or INT. */
        SLEEPER("""
                #!/bin/sh
                echo "a $$" >> "$1"
                exec sleep 3600
                """),
        /**
         * Ignores TERM and INT, has a child that ignores them too, and forks another such child when one
         * arrives: only KILL ends it, and a stop must find the child made during its grace period.
         */
        STUBBORN("""
                #!/bin/sh
                trap '(trap "" TERM INT; exec sleep 30) & echo "c $!" >> "$1"' TERM INT
                echo "a $$" >> "$1"
                (trap '' TERM INT; exec sleep 3600) &
                echo "c $!" >> "$1"
                while :; do wait; sleep 1; done
                """),
        /** Exits 1 at once: a crash loop. */
        CRASHER("""
                #!/bin/sh
                echo "a $$" >> "$1"
                exit 1
                """);

        private final String script;

        Kind(String script) {
            this.script = script;
        }
    }

    private final Kind kind;
    private final int size;
    private final Path script;
    private final Path pidFile;
    private final java.util.Map<Long, Long> seen = new java.util.HashMap<>();

    private Fleet(Kind kind, int size, Path script, Path pidFile) {
        this.kind = kind;
        this.size = size;
        this.script = script;
        this.pidFile = pidFile;
    }

    /** Writes the script and an empty PID file into {@code dir}. */
    static Fleet write(Kind kind, int size, Path dir) throws IOException {
        Path script = dir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + ".sh");
        Files.writeString(script, kind.script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pids = dir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + ".pids");
        Files.writeString(pids, "");
        return new Fleet(kind, size, script, pids);
    }

    Kind kind() {
        return kind;
    }

    int size() {
        return size;
    }

    Path script() {
        return script;
    }

    Path pidFile() {
        return pidFile;
    }

    static String id(int i) {
        return "a" + i;
    }

    /** The stop timeout every manager is given for these agents: 2 s for stubborn ones, else the manager's default. */
    boolean shortStop() {
        return kind == Kind.STUBBORN;
    }

    /** PIDs the agents recorded since the last {@link #reset()}: agents themselves ("a") or also children. */
    synchronized List<Long> pids(boolean withChildren) {
        List<Long> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile)) {
                String[] f = line.trim().split(" ");
                if (f.length == 2 && f[1].matches("\\d+") && (withChildren || f[0].equals("a"))) {
                    long pid = Long.parseLong(f[1]);
                    out.add(pid);
                    if (!seen.containsKey(pid)) { // its identity when first seen; -1 when it was already gone
                        seen.put(pid, Procs.read(pid).filter(p -> !p.zombie()).map(Procs.Proc::startTicks).orElse(-1L));
                    }
                }
            }
        } catch (IOException e) {
            // nothing recorded yet
        }
        return out;
    }

    /** Forgets the recorded PIDs (they stay known for {@link #everyPid()}), for the next cycle. */
    synchronized void reset() throws IOException {
        pids(true);
        Files.writeString(pidFile, "");
    }

    /** Every PID the agents ever recorded, with its start ticks when first seen: the cleanup kills those still alive. */
    synchronized java.util.Map<Long, Long> everyPid() {
        pids(true);
        return new java.util.HashMap<>(seen);
    }
}
