package dev.agentdeck.logs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static dev.agentdeck.logs.LogLevel.ERROR;
import static dev.agentdeck.logs.LogLevel.INFO;
import static dev.agentdeck.logs.LogLevel.NONE;
import static dev.agentdeck.logs.LogLevel.WARN;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelTrackerTest {

    private static List<LogLevel> levels(String... lines) {
        LevelTracker t = new LevelTracker();
        return List.of(lines).stream().map(t::levelOf).collect(Collectors.toList());
    }

    @Test
    void aJavaStackTraceInheritsTheLevelOfItsLogLine() {
        assertEquals(List.of(ERROR, ERROR, ERROR, ERROR, ERROR, ERROR, ERROR, INFO), levels(
                "2024-03-01 12:00:00 ERROR [main] c.a.Svc - request failed",
                "java.lang.IllegalStateException: pool closed",
                "\tat com.acme.Pool.get(Pool.java:42)",
                "\tat com.acme.Svc.handle(Svc.java:7)",
                "Caused by: java.io.IOException: INFO is not a level here",
                "\t... 12 more",
                "at com.acme.Unindented.frame(X.java:1)",
                "2024-03-01 12:00:01 INFO [main] c.a.Svc - recovered"));
    }

    @Test
    void aPythonTracebackInheritsAndEndsWithItsExceptionLine() {
        assertEquals(List.of(WARN, WARN, WARN, WARN, WARN, WARN, WARN, WARN, WARN, NONE), levels(
                "WARNING:root:retrying",
                "Traceback (most recent call last):",
                "  File \"app.py\", line 3, in <module>",
                "    main()",
                "ValueError: bad value",
                "",
                "During handling of the above exception, another exception occurred:",
                "Traceback (most recent call last):",
                "KeyError: 'x'",
                "plain line afterwards"));
    }

    @Test
    void aTracebackWithoutALevelBeforeItIsAnError() {
        assertEquals(List.of(NONE, ERROR, ERROR, ERROR, NONE), levels(
                "starting",
                "Traceback (most recent call last):",
                "  File \"app.py\", line 3, in <module>",
                "ZeroDivisionError: division by zero",
                "next"));
    }

    @Test
    void continuationsOfALineWithoutLevelHaveNone() {
        assertEquals(List.of(NONE, NONE, NONE), levels("hello", "  indented", "...dots"));
    }

    @Test
    void aBareExceptionHeaderIsAnError() {
        assertEquals(List.of(ERROR, ERROR), levels("java.lang.NullPointerException", "\tat X.y(X.java:1)"));
    }

    @Test
    void eachLineWithItsOwnLevelResetsWhatFollows() {
        assertEquals(List.of(ERROR, ERROR, INFO, INFO, NONE, NONE), levels(
                "ERROR first", "  more", "INFO second", "  more", "plain", "  more"));
    }
}
