package dev.agentdeck.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where an agent's output is read from: its log files on this machine ({@link AgentLogs}), or an engine's API
 * when the panel is attached to one. Positions are byte offsets in the agent's stdout and stderr logs, so a
 * reader can page back and follow on without showing a line twice or skipping one.
 */
public interface LogSource {
    /** Offsets in the stdout and stderr logs. */
    record Offsets(long out, long err) {
        public long of(LogStream stream) {
            return stream == LogStream.OUT ? out : err;
        }
    }

    /** Receives followed lines, and where following would resume after them. */
    @FunctionalInterface
    interface Sink {
        void accept(List<LogLine> lines, Offsets resumeAt);
    }

    /** Where the last complete line of each log ends (0 for a log not written yet). */
    Offsets ends(String agentId) throws IOException;

    /** Up to {@code maxLines} complete lines of one log that end at or before {@code end}, with where they start. */
    LogFileReader.Chunk linesBefore(String agentId, LogStream stream, long end, int maxLines) throws IOException;

    /**
     * Follows both logs from {@code from}, handing new lines to {@code sink} in batches (on a thread of the
     * source's choosing) until the returned handle is closed.
     *
     * @param timer  where a local follower polls the files
     * @param pollMs how often a local follower polls
     */
    AutoCloseable follow(String agentId, Offsets from, Sink sink, ScheduledExecutorService timer, long pollMs);

    /** The log file on this machine, when there is one to open. */
    Optional<Path> file(String agentId, LogStream stream);
}
