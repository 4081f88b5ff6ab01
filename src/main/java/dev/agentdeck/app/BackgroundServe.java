package dev.agentdeck.app;

import dev.agentdeck.config.Workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code agentdeck serve} on a home as a process of its own, detached from the panel (its own session, so
 * closing the terminal or the panel does not end it), and waits until it owns the home. Used when the panel hands
 * its agents over on closing: the serve adopts them by their PID files, so none is started again.
 */
public final class BackgroundServe {
    private BackgroundServe() {
    }

    /** The command that runs this AgentDeck again headless: the packaged launcher (the command line's when installed), or this JVM with its class path. */
    static List<String> self() {
        List<String> cmd = new ArrayList<>();
        java.util.Optional<Path> launcher = dev.agentdeck.os.Launchers.headless();
        if (launcher.isPresent()) {
            cmd.add(launcher.get().toString());
            return cmd;
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(dev.agentdeck.Main.class.getName());
        return cmd;
    }

    /**
     * Starts the serve, which waits for the home's lock; once it runs, {@code release} lets go of the home (the
     * caller's engine stops supervising), and the serve takes it. Nothing is released when the serve does not
     * come up, so the caller can still choose what to do with its agents.
     *
     * @return the serve's PID
     * @throws IOException when it could not start, or did not take the home in time (its output file is named;
     *                     {@code released} tells whether the caller had already let go)
     */
    public static long start(Workspace ws, Duration timeout, Runnable release) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // out of the panel's session and process group
        }
        cmd.addAll(self());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        dev.agentdeck.os.UserEnvironment.clean(pb.environment());
        if (ws.configDir().equals(ws.dataDir())) {
            cmd.add("--home");
            cmd.add(ws.configDir().toString());
        } else {
            // the platform's split layout (config here, data there): the serve finds it as the panel did
            pb.environment().remove("AGENTDECK_HOME");
        }
        cmd.addAll(List.of("serve", "--wait-lock", Long.toString(Math.max(1, timeout.toSeconds()))));
        pb.command(cmd);
        dev.agentdeck.config.PrivateFiles.createDirectories(ws.dataDir());
        Path log = dev.agentdeck.config.PrivateFiles.touch(ws.dataDir().resolve("serve.out.log"));
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process p = pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean released = false;
        try {
            while (!said(log, before, ServeCommand.WAITING)) {
                if (!p.isAlive()) {
                    throw new IOException("agentdeck serve ended at once (exit " + p.exitValue() + "); see " + log);
                }
                pause(deadline, p, log);
            }
            release.run();
            released = true;
            while (true) {
                HomeLock.Holder h = HomeLock.holder(ws);
                if (h.kind().equals("serve") && h.pid() == p.pid() && Files.exists(ws.apiJson())) {
                    return p.pid();
                }
                if (!p.isAlive()) {
                    throw new IOException("agentdeck serve ended before it took " + ws.configDir() + " (exit "
                            + p.exitValue() + "); see " + log);
                }
                pause(deadline, p, log);
            }
        } catch (IOException e) {
            p.destroy();
            throw released && !(e instanceof Released) ? new Released(e.getMessage()) : e;
        }
    }

    /** A hand-over that failed after the caller had let go of the home. */
    public static final class Released extends IOException {
        private static final long serialVersionUID = 1L;

        Released(String message) {
            super(message);
        }
    }

    private static boolean said(Path log, long from, String what) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8).contains(what);
    }

    private static void pause(long deadline, Process p, Path log) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("agentdeck serve (PID " + p.pid() + ") did not come up in time; see " + log);
        }
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for agentdeck serve");
        }
    }
}
