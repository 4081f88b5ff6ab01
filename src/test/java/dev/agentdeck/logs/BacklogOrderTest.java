package dev.agentdeck.logs;

import dev.agentdeck.logs.LogLevel;
import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogStream;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BacklogOrderTest {
    private static List<LogLine> part(LogStream stream, String... texts) {
        return Arrays.stream(texts).map(t -> new LogLine("a", stream, LogLevel.NONE, t)).toList();
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    @Test
    void stdoutAndStderrMergeByTheirTimestampsWithUnstampedLinesKeptAfterTheirPredecessor() {
        List<LogLine> out = part(LogStream.OUT, "2026-11-23T06:16:07.100Z INFO a", "2026-11-23T06:16:09Z INFO c");
        List<LogLine> err = part(LogStream.ERR, "2026-11-23 06:16:08,5 ERROR b", "\tat Foo.bar(Foo.java:1)");
        assertEquals(List.of("2026-11-23T06:16:07.100Z INFO a", "2026-11-23 06:16:08,5 ERROR b",
                "\tat Foo.bar(Foo.java:1)", "2026-11-23T06:16:09Z INFO c"), texts(BacklogOrder.merge(List.of(out, err))));
    }

    @Test
    void partsWithoutTimestampsOrOfMixedKindsFollowOneAnother() {
        List<LogLine> out = part(LogStream.OUT, "no time here", "nor here");
        List<LogLine> err = part(LogStream.ERR, "06:00:00 early");
        assertEquals(List.of("no time here", "nor here", "06:00:00 early"), texts(BacklogOrder.merge(List.of(out, err))));
        List<LogLine> dated = part(LogStream.OUT, "2026-01-01 07:00:00 dated");
        assertEquals(List.of("2026-01-01 07:00:00 dated", "06:00:00 early"), texts(BacklogOrder.merge(List.of(dated, err))));
    }

    @Test
    void keysCompareByDateTimeAndFraction() {
        assertEquals("06:16:07.120000000", BacklogOrder.key("[06:16:07.12] x"));
        assertEquals("2026-11-23 06:16:07.000000000", BacklogOrder.key("{\"time\":\"2026-11-23T06:16:07Z\"}"));
        assertNull(BacklogOrder.key("nothing"));
    }
}
