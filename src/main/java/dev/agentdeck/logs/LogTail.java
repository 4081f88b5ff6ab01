package dev.agentdeck.logs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines an agent wrote, read back from its stdout and stderr logs without reading them whole, with
 * each line's stream and level, merged into one list ({@link BacklogOrder}). For the API and {@code ctl}.
 */
public final class LogTail {
    private LogTail() {
    }

    /**
     * Up to {@code maxLines} of the agent's latest lines, oldest first; with {@code minLevel} only lines at that
     * level or more severe (ERROR is the most severe), the limit applying to the lines that pass.
     */
    public static List<LogLine> last(LogSource logs, String agentId, int maxLines, LogLevel minLevel) throws IOException {
        return before(logs, agentId, logs.ends(agentId), maxLines, minLevel);
    }

    /**
     * As {@link #last}, but of the lines that end before the given offsets of the out and err files (where a
     * follower will start, so nothing is shown twice or skipped).
     */
    public static List<LogLine> before(LogSource logs, String agentId, LogSource.Offsets ends, int maxLines,
                                       LogLevel minLevel) throws IOException {
        List<List<LogLine>> parts = new ArrayList<>();
        parts.add(read(logs, ends.out(), agentId, LogStream.OUT, maxLines, minLevel));
        parts.add(read(logs, ends.err(), agentId, LogStream.ERR, maxLines, minLevel));
        List<LogLine> merged = BacklogOrder.merge(parts);
        return merged.size() <= maxLines ? merged : List.copyOf(merged.subList(merged.size() - maxLines, merged.size()));
    }

    /** Tags lines of one stream with their levels, oldest first (a stack trace takes its error's level). */
    public static List<LogLine> tag(String agentId, LogStream stream, List<String> texts) {
        LevelTracker levels = new LevelTracker();
        List<LogLine> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(new LogLine(agentId, stream, levels.levelOf(t), t));
        }
        return out;
    }

    /** True when {@code level} is at least as severe as {@code min} (NONE passes only a NONE minimum). */
    public static boolean passes(LogLevel level, LogLevel min) {
        return min == null || min == LogLevel.NONE || (level != LogLevel.NONE && level.ordinal() <= min.ordinal());
    }

    private static List<LogLine> read(LogSource logs, long end, String id, LogStream stream, int maxLines, LogLevel min)
            throws IOException {
        if (end <= 0) {
            return List.of();
        }
        // Filtering by level may need more than maxLines lines; read back in growing blocks until enough pass.
        int want = min == null || min == LogLevel.NONE ? maxLines : Math.max(maxLines, 1_000);
        while (true) {
            LogFileReader.Chunk chunk = logs.linesBefore(id, stream, end, want);
            List<LogLine> tagged = tag(id, stream, chunk.lines());
            List<LogLine> passing = tagged.stream().filter(l -> passes(l.level(), min)).toList();
            if (passing.size() >= maxLines || chunk.startOffset() == 0 || want >= 1_000_000) {
                return passing.size() <= maxLines ? passing : passing.subList(passing.size() - maxLines, passing.size());
            }
            want *= 4;
        }
    }
}
