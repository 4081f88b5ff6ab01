package dev.agentdeck.process;

import dev.agentdeck.config.PrivateFiles;
import dev.agentdeck.os.ChildWatcher;
import dev.agentdeck.os.PosixSpawner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;


/**
 * Starts an agent's process in its own session and process group, stdin from the null device, stdout and
 * stderr appended to its log files, so the agent outlives the panel and can be signalled as a group.
 * On Linux through {@link PosixSpawner} (one exec, JVM descriptors closed), elsewhere through ProcessBuilder,
 * with {@code setsid} where the system has it (it execs in place, so the PID is the agent's).
 */
final class Launcher {
    /**
     * What a run with a cgroup execs first: {@code /bin/sh -c ENTER_CGROUP "$@"} with the cgroup folder as $0
     * moves itself into the cgroup, then execs the agent in place (same PID), so nothing the agent ever forks
     * starts outside it. Exit code 125 when the move is refused.
     */
    static final String ENTER_CGROUP = "echo 0 > \"$0/cgroup.procs\" || exit 125; exec";
    private static final Path SH = Path.of("/bin/sh");
    private final Optional<PosixSpawner> spawner = PosixSpawner.load();
    private final Path setsid = findSetsid();
    private final ChildWatcher children;

    Launcher(String name) {
        this.children = spawner.map(s -> ChildWatcher.create(s, name)).orElse(null);
    }

    /** Starts the plan; with {@code cgroup} non-null, inside that cgroup from its first instruction. */
    ChildProcess launch(LaunchPlan plan, Path out, Path err, Path cgroup) throws IOException {
        PrivateFiles.createDirectories(out.getParent());
        // created 0600 here, so neither posix_spawn nor ProcessBuilder creates them with the umask's mode
        PrivateFiles.touch(out);
        PrivateFiles.touch(err);
        Path executable = cgroup == null ? plan.executable() : SH;
        List<String> argv = cgroup == null ? plan.argv() : enteringCgroup(cgroup, plan.argv());
        if (spawner.isPresent()) {
            long pid = spawner.get().spawn(executable, argv, plan.env(), plan.cwd(), out, err);
            return new Child(pid, true, children.watch(pid));
        }
        return spawnJdk(plan, argv, out, err);
    }

    private static List<String> enteringCgroup(Path cgroup, List<String> argv) {
        List<String> out = new ArrayList<>(argv.size() + 4);
        out.add(SH.toString());
        out.add("-c");
        out.add(ENTER_CGROUP + " \"$@\"");
        out.add(cgroup.toString());
        out.addAll(argv);
        return out;
    }

    /** True for the command line of a launch still in its cgroup-entry shell (an instant before the exec). */
    static boolean enteringCgroup(String commandLine) {
        return commandLine.startsWith(SH + " -c " + ENTER_CGROUP);
    }

    private ChildProcess spawnJdk(LaunchPlan plan, List<String> argv, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>();
        if (setsid != null) {
            command.add(setsid.toString());
        }
        command.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(command).directory(plan.cwd().toFile());
        pb.environment().clear();
        pb.environment().putAll(plan.env());
        pb.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        Process process = pb.start();
        return new Child(process.pid(), setsid != null, process.onExit().thenApply(Process::exitValue));
    }

    /**
     * Watches a process the engine did not start (an adopted agent): its exit future completes with -1 (the
     * code is not ours to know) unless it happens to be our child.
     */
    ChildProcess watch(long pid, boolean leadsGroup) {
        CompletableFuture<Integer> exit;
        if (children != null) {
            try {
                exit = children.watch(pid);
            } catch (RuntimeException e) {
                exit = CompletableFuture.completedFuture(-1); // already gone
            }
        } else {
            exit = ProcessHandle.of(pid).map(h -> h.onExit().thenApply(x -> -1))
                    .orElse(CompletableFuture.completedFuture(-1));
        }
        return new Child(pid, leadsGroup, exit);
    }

    void close() {
        if (children != null) {
            children.close();
        }
    }

    private record Child(long pid, boolean ownGroup, CompletableFuture<Integer> exit) implements ChildProcess {
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
