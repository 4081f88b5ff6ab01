package dev.agentdeck.logs;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelDetectorTest {
    @Test
    void commonFormatsGiveTheirLevel() {
        Map<String, LogLevel> cases = new LinkedHashMap<>();
        cases.put("2026-11-23 06:16:07,123 ERROR [main] c.a.Worker - boom", LogLevel.ERROR);
        cases.put("06:16:07 WARN task 43: slow", LogLevel.WARN);
        cases.put("[info] server started", LogLevel.INFO);
        cases.put("[2026-11-23T06:16:07Z] [debug] cache hit", LogLevel.DEBUG);
        cases.put("WARNING: deprecated flag", LogLevel.WARN);
        cases.put("CRITICAL:root:disk full", LogLevel.ERROR);
        cases.put("FATAL unable to bind", LogLevel.ERROR);
        cases.put("Nov 23, 2026 6:23:17 AM com.sun.Foo bar\nSEVERE: it broke", LogLevel.ERROR);
        cases.put("FINE: detail", LogLevel.DEBUG);
        cases.put("TRACE entering", LogLevel.DEBUG);
        cases.put("time=2026-11-23T06:16:07Z level=warn msg=\"retrying\"", LogLevel.WARN);
        cases.put("E/ActivityManager: crash", LogLevel.ERROR);
        cases.put("W1123 06:16:07.123456 12345 main.go:42] careful", LogLevel.WARN);
        cases.put("error: could not open config", LogLevel.ERROR);
        cases.put("{\"level\":\"warn\",\"msg\":\"slow\"}", LogLevel.WARN);
        cases.put("{\"severity\":\"ERROR\",\"message\":\"x\"}", LogLevel.ERROR);
        cases.put("{\"lvl\":\"dbug\",\"msg\":\"x\"}", LogLevel.NONE);
        cases.put("{\"level\":50,\"time\":1,\"msg\":\"pino error\"}", LogLevel.ERROR);
        cases.put("{\"level\":40,\"msg\":\"pino warn\"}", LogLevel.WARN);
        cases.put("{\"level\":30,\"msg\":\"pino info mentions ERROR\"}", LogLevel.INFO);
        cases.put("{\"level\":20,\"msg\":\"d\"}", LogLevel.DEBUG);
        cases.put("INFO processed 5 items, error count 0", LogLevel.INFO);
        cases.put("processed 5 items; the errors table is empty", LogLevel.NONE);
        cases.put("Starting server on port 8080", LogLevel.NONE);
        cases.put("", LogLevel.NONE);
        cases.forEach((line, level) -> assertEquals(level, LevelDetector.detect(line), line));
    }

    @Test
    void aLevelWordFarIntoALineDoesNotCount() {
        String line = "x".repeat(100) + " ERROR";
        assertEquals(LogLevel.NONE, LevelDetector.detect(line));
    }

    @Test
    void continuationLinesTakeTheLevelOfTheLineTheyContinue() {
        LevelTracker t = new LevelTracker();
        List<String> lines = List.of("ERROR request failed", "java.lang.IllegalStateException: nope",
                "\tat com.example.Foo.bar(Foo.java:10)", "Caused by: java.io.IOException: gone", "\t... 5 more",
                "INFO next request", "  indented detail", "plain line");
        List<LogLevel> levels = lines.stream().map(t::levelOf).toList();
        assertEquals(LogLevel.ERROR, levels.get(0));
        assertEquals(LogLevel.INFO, levels.get(5));
        assertEquals(LogLevel.INFO, levels.get(6), "an indented line continues the one before");
        assertEquals(LogLevel.NONE, levels.get(7));

        LevelTracker j = new LevelTracker();
        assertEquals(LogLevel.ERROR, j.levelOf("ERROR request failed"));
        assertEquals(LogLevel.ERROR, j.levelOf("\tat com.example.Foo.bar(Foo.java:10)"));
        assertEquals(LogLevel.ERROR, j.levelOf("Caused by: java.io.IOException: gone"));
        assertEquals(LogLevel.ERROR, j.levelOf("\t... 5 more"));

        LevelTracker py = new LevelTracker();
        assertEquals(LogLevel.ERROR, py.levelOf("Traceback (most recent call last):"));
        assertEquals(LogLevel.ERROR, py.levelOf("  File \"app.py\", line 3, in <module>"));
        assertEquals(LogLevel.NONE, py.levelOf("ValueError: bad"));
    }
}
