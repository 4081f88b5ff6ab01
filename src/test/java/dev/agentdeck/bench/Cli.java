package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A command-line call of a manager, timed from the moment it is issued. Output goes to a file (no pipe to
 * drain, so a chatty command never blocks), and every wait has a deadline: a call that overruns is killed
 * (by its PID: it is our child) and reported as timed out.
 */
final class Cli {
    private final Process process;
    private final Path output;
    private final long startNanos;
    private final List<String> command;

    private Cli(Process process, Path output, long startNanos, List<String> command) {
        this.process = process;
        this.output = output;
        this.startNanos = startNanos;
        this.command = command;
    }

    /** What a finished call did: exit code (-1 on a timeout), output, and when it started and ended. */
    record Run(List<String> command, int exit, String output, long startNanos, long endNanos, boolean timedOut) {
        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        boolean ok() {
            return !timedOut && exit == 0;
        }

        String describe() {
            String text = output.strip();
            return String.join(" ", command) + (timedOut ? ": timed out" : ": exit " + exit)
                    + (text.isEmpty() ? "" : ": " + (text.length() > 400 ? text.substring(0, 400) + "..." : text));
        }
    }

    /** Issues the command; {@code scratch} holds its output file. */
    static Cli start(List<String> command, Map<String, String> env, Path scratch) throws IOException {
        Path out = Files.createTempFile(scratch, "cli-", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        return new Cli(pb.start(), out, t0, command);
    }

    /** Issues the command and waits for it, at most {@code timeout}. */
    static Run run(List<String> command, Map<String, String> env, Path scratch, Duration timeout)
            throws IOException, InterruptedException {
        return start(command, env, scratch).finish(timeout);
    }

    long startNanos() {
        return startNanos;
    }

    /** True once the command has exited. */
    boolean done() {
        return !process.isAlive();
    }

    /** Waits for the command until {@code timeout} after it was issued; kills it when it overruns. */
    Run finish(Duration timeout) throws InterruptedException {
        long left = startNanos + timeout.toNanos() - System.nanoTime();
        boolean exited = process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
        long end = System.nanoTime();
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String text;
        try {
            text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
        } catch (IOException e) {
            text = "(output unreadable: " + e.getMessage() + ")";
        }
        return new Run(command, exited ? process.exitValue() : -1, text, startNanos, end, !exited);
    }
}
