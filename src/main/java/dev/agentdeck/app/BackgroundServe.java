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

    /** The command that runs this AgentDeck again: the packaged launcher, or this JVM with its class path. */
    static List<String> self() {
        List<String> cmd = new ArrayList<>();
        String launcher = System.getProperty("jpackage.app-path");
        if (launcher != null && !launcher.isBlank()) {
            cmd.add(launcher);
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
     * Starts the serve and waits up to {@code timeout} for it to take the home's lock (the caller released it).
     *
     * @return the serve's PID
     * @throws IOException when it could not start or did not take the home in time (its log is named)
     */
    public static long start(Workspace ws, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // out of the panel's session and process group
        }
        cmd.addAll(self());
        cmd.add("--home");
        cmd.add(ws.configDir().toString());
        cmd.add("serve");
        Files.createDirectories(ws.dataDir());
        Path log = ws.dataDir().resolve("serve.out.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            HomeLock.Holder h = HomeLock.holder(ws);
            if (h.kind().equals("serve") && h.pid() > 0 && Files.exists(ws.apiJson())) {
                return h.pid();
            }
            if (!p.isAlive() && !(cmd.get(0).endsWith("setsid") && p.exitValue() == 0)) {
                throw new IOException("agentdeck serve ended at once (exit " + p.exitValue() + "); see " + log);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for agentdeck serve");
            }
        }
        throw new IOException("agentdeck serve did not take " + ws.configDir() + " within " + timeout.toSeconds()
                + " s; see " + log);
    }
}
