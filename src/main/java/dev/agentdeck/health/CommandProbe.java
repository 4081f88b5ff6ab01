package dev.agentdeck.health;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run a command (no shell) in the agent's folder with the agent's environment; exit code 0 is healthy.
 * At the timeout the command and its children are killed.
 */
public final class CommandProbe implements HealthProbe {
    private static final int KEEP_OUTPUT = 300;
    private final List<String> command;
    private final long timeoutMs;
    private final ProbeContext ctx;

    CommandProbe(List<String> command, long timeoutMs, ProbeContext ctx) {
        this.command = List.copyOf(command);
        this.timeoutMs = timeoutMs;
        this.ctx = ctx;
    }

    @Override
    public CompletableFuture<ProbeResult> run() {
        long t0 = System.nanoTime();
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (ctx.cwd() != null) {
                pb.directory(ctx.cwd().toFile());
            }
            if (ctx.env() != null) {
                pb.environment().clear();
                pb.environment().putAll(ctx.env());
            }
            p = pb.start();
        } catch (IOException e) {
            return CompletableFuture.completedFuture(ProbeResult.failed("cannot run " + command.get(0) + ": " + e.getMessage(), t0));
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> firstBytes(p.getInputStream()), ctx.pool());
        boolean[] timedOut = new boolean[1];
        ScheduledFuture<?> killer = ctx.pool().schedule(() -> {
            timedOut[0] = true;
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, timeoutMs, TimeUnit.MILLISECONDS);
        return p.onExit().thenCombine(output.exceptionally(t -> ""), (done, out) -> {
            killer.cancel(false);
            String said = out.isBlank() ? "" : ": " + out.strip();
            if (timedOut[0]) {
                return ProbeResult.failed(command.get(0) + " did not finish within " + timeoutMs + " ms; killed", t0);
            }
            int code = done.exitValue();
            return code == 0 ? ProbeResult.passed(command.get(0) + " exited 0" + said, t0)
                    : ProbeResult.failed(command.get(0) + " exited " + code + said, t0);
        });
    }

    private static String firstBytes(InputStream in) {
        try (in) {
            byte[] head = in.readNBytes(KEEP_OUTPUT);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String s = new String(head, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            return nl >= 0 ? s.substring(0, nl) : s;
        } catch (IOException e) {
            return "";
        }
    }
}
