package dev.agentdeck.logs;

import dev.agentdeck.config.PrivateFiles;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The log files of one workspace: {@code logs/<id>.out.log} and {@code logs/<id>.err.log}, which agents
 * append to directly (opened in append mode, so rotation by copy-truncate is safe), plus the engine's
 * marker lines where runs begin and end. Every file here is created 0600 ({@link PrivateFiles}).
 */
public final class AgentLogs implements LogSource {
    public static final String MARKER = "--- agentdeck: ";
    private final Path dir;

    public AgentLogs(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path out(String agentId) {
        return dir.resolve(agentId + ".out.log");
    }

    public Path err(String agentId) {
        return dir.resolve(agentId + ".err.log");
    }

    @Override
    public Offsets ends(String agentId) throws IOException {
        return new Offsets(LogFileReader.lastLineEnd(out(agentId)), LogFileReader.lastLineEnd(err(agentId)));
    }

    @Override
    public LogFileReader.Chunk linesBefore(String agentId, LogStream stream, long end, int maxLines) throws IOException {
        Path file = stream == LogStream.OUT ? out(agentId) : err(agentId);
        return LogFileReader.linesBefore(file, Math.min(end, size(file)), maxLines);
    }

    @Override
    public AutoCloseable follow(String agentId, Offsets from, Sink sink, ScheduledExecutorService timer, long pollMs) {
        return new LogFollower(agentId, out(agentId), err(agentId), from.out(), from.err(), timer, pollMs, sink);
    }

    @Override
    public Optional<Path> file(String agentId, LogStream stream) {
        return Optional.of(stream == LogStream.OUT ? out(agentId) : err(agentId));
    }

    /** Appends a marker line to the agent's stdout log, e.g. {@code --- agentdeck: starting: sleep 9}. */
    public void marker(String agentId, String text) {
        try {
            PrivateFiles.createDirectories(dir);
            PrivateFiles.append(out(agentId), (MARKER + text + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AgentLogs.class).warn("could not write a marker to {}: {}", out(agentId), e.toString());
        }
    }

    /** The current size of a file, or 0 when it does not exist. */
    public static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The last {@code maxLines} lines written to {@code file} after byte offset {@code from} (at most 64 KiB
     * are read), joined by newlines.
     */
    public static String tailSince(Path file, long from, int maxLines) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            long start = Math.max(Math.min(from, end), end - 65_536);
            byte[] buf = new byte[(int) (end - start)];
            raf.seek(start);
            raf.readFully(buf);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\n")));
            lines.removeIf(l -> l.isBlank() || l.startsWith(MARKER));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
