package dev.agentdeck.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.agentdeck.logs.LogLevel.DEBUG;
import static dev.agentdeck.logs.LogLevel.ERROR;
import static dev.agentdeck.logs.LogLevel.INFO;
import static dev.agentdeck.logs.LogLevel.NONE;
import static dev.agentdeck.logs.LogLevel.WARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LevelDetectorTest {

    static Stream<Arguments> table() {
        return Stream.of(
                // plain words in capitals, in the usual places
                Arguments.of("ERROR something broke", ERROR),
                Arguments.of("2024-03-01 12:00:00,123 ERROR [main] c.a.Service - boom", ERROR),
                Arguments.of("2024-03-01T12:00:00.000Z  WARN 4242 --- [main] o.s.Boot : slow", WARN),
                Arguments.of("12:00:00.123 [worker-1] INFO  c.a.Job - done", INFO),
                Arguments.of("2024-03-01 12:00:00 DEBUG cache miss", DEBUG),
                Arguments.of("[2024-03-01T12:00:00Z ERROR my_crate::net] refused", ERROR),
                Arguments.of("npm ERR! code E404", ERROR),
                Arguments.of("npm WARN deprecated left-pad@1.0.0", WARN),
                Arguments.of("INFO:     Uvicorn running on http://127.0.0.1:8000", INFO),
                // brackets and lower case
                Arguments.of("[error] could not connect", ERROR),
                Arguments.of("[warn] disk almost full", WARN),
                Arguments.of("2024/03/01 12:00:00 [notice] 1#1: start worker processes", INFO),
                Arguments.of("<debug> tick", DEBUG),
                Arguments.of("(Info) hello", INFO),
                // first word with a colon
                Arguments.of("WARNING: unsafe option", WARN),
                Arguments.of("warning: unused variable `x`", WARN),
                Arguments.of("error: linking failed", ERROR),
                Arguments.of("Error: Cannot find module 'x'", ERROR),
                Arguments.of("panic: runtime error: index out of range", ERROR),
                Arguments.of("fatal: not a git repository", ERROR),
                // Python logging
                Arguments.of("CRITICAL:root:disk gone", ERROR),
                Arguments.of("FATAL:root:bye", ERROR),
                Arguments.of("WARNING:root:careful", WARN),
                Arguments.of("2024-03-01 12:00:00,001 - app - CRITICAL - meltdown", ERROR),
                Arguments.of("Traceback (most recent call last):", ERROR),
                // Java util logging, log4j TRACE
                Arguments.of("SEVERE: Servlet failed", ERROR),
                Arguments.of("FINE: pool size 4", DEBUG),
                Arguments.of("FINEST: entering", DEBUG),
                Arguments.of("2024-03-01 12:00:00 TRACE entering parse()", DEBUG),
                Arguments.of("Exception in thread \"main\" java.lang.IllegalStateException: x", ERROR),
                // one-letter formats
                Arguments.of("E/ActivityManager( 1234): ANR in com.example", ERROR),
                Arguments.of("W/System.err: careful", WARN),
                Arguments.of("I/chatty  : uid=1000 expire 3 lines", INFO),
                Arguments.of("D/NetworkMonitor: probe", DEBUG),
                Arguments.of("I/O error while reading config", NONE),
                Arguments.of("E0301 12:00:00.000000    4242 server.go:42] listen failed", ERROR),
                Arguments.of("W0301 12:00:00.000000    4242 server.go:42] slow", WARN),
                Arguments.of("I0301 12:00:00.000000    4242 server.go:42] ok", INFO),
                Arguments.of("[E 240301 12:00:00 web:2250] 500 GET /", ERROR),
                Arguments.of("[W 240301 12:00:00 web:2250] 404 GET /x", WARN),
                // logfmt and Go slog
                Arguments.of("time=2024-03-01T12:00:00Z level=warn msg=\"retrying\"", WARN),
                Arguments.of("time=2024-03-01T12:00:00.000+01:00 level=ERROR msg=\"db down\" err=\"EOF\"", ERROR),
                Arguments.of("ts=1709294400 lvl=info msg=started", INFO),
                Arguments.of("t=2024-03-01T12:00:00+0000 lvl=dbug msg=x", NONE),
                Arguments.of("severity=debug component=raft msg=heartbeat", DEBUG),
                Arguments.of("time=2024-03-01T12:00:00Z level=\"error\" msg=quoted", ERROR),
                Arguments.of("time=2024-03-01 msg=\"request had ERROR in body\" level=info", INFO),
                // JSON
                Arguments.of("{\"level\":\"warn\",\"msg\":\"slow\"}", WARN),
                Arguments.of("{\"severity\":\"ERROR\",\"message\":\"boom\"}", ERROR),
                Arguments.of("{\"lvl\":\"debug\",\"msg\":\"x\"}", DEBUG),
                Arguments.of("{\"time\":\"2024-03-01T12:00:00Z\",\"message\":\"" + "x".repeat(200) + "\",\"level\":\"error\"}", ERROR),
                Arguments.of("{ \"level\" : \"INFO\" }", INFO),
                Arguments.of("{\"log.level\":\"warning\",\"message\":\"x\"}", WARN),
                Arguments.of("{\"@t\":\"2024-03-01\",\"@l\":\"Warning\",\"@m\":\"x\"}", WARN),
                Arguments.of("{\"levelname\": \"CRITICAL\", \"message\": \"x\"}", ERROR),
                // pino / bunyan numbers
                Arguments.of("{\"level\":60,\"time\":1709294400000,\"msg\":\"fatal\"}", ERROR),
                Arguments.of("{\"level\":50,\"time\":1709294400000,\"msg\":\"x\"}", ERROR),
                Arguments.of("{\"level\":40,\"msg\":\"x\"}", WARN),
                Arguments.of("{\"level\":30,\"msg\":\"x\"}", INFO),
                Arguments.of("{\"level\":20,\"msg\":\"x\"}", DEBUG),
                Arguments.of("{\"level\":10,\"msg\":\"x\"}", DEBUG),
                Arguments.of("{\"name\":\"app\",\"hostname\":\"h\",\"pid\":1,\"level\":50,\"msg\":\"bunyan\",\"v\":0}", ERROR),
                // JSON judged by its level field only
                Arguments.of("{\"level\":\"info\",\"msg\":\"ERROR: retrying after error\"}", INFO),
                Arguments.of("{\"msg\":\"ERROR in body\"}", NONE),
                Arguments.of("{\"msg\":\"he said \\\"level\\\":\\\"error\\\"\",\"level\":\"info\"}", INFO),
                Arguments.of("{\"msg\":\"the level\",\"note\":\"level: error\"}", NONE),
                // an "error" deep inside an info message does not make it an error
                Arguments.of("2024-03-01 12:00:00 INFO request finished; ERROR count 0", INFO),
                Arguments.of("2024-03-01 12:00:00 INFO " + "x".repeat(100) + " ERROR at the end", INFO),
                Arguments.of("2024-03-01 12:00:00.000 [main] c.a.Svc - " + "y".repeat(60) + " ERROR late", NONE),
                Arguments.of("12:00:01 user reported an error with the form", NONE),
                Arguments.of("GET /errors 200 3ms", NONE),
                Arguments.of("com.acme.ErrorHandler registered", NONE),
                Arguments.of("reading error.log", NONE),
                Arguments.of("ERROR_CODE=5", NONE),
                // nothing at all
                Arguments.of("", NONE),
                Arguments.of("   ", NONE),
                Arguments.of("hello world", NONE),
                Arguments.of("Listening on :8080", NONE));
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @MethodSource("table")
    void detectsTheLevelOfCommonFormats(String line, LogLevel expected) {
        assertEquals(expected, LevelDetector.detect(line), line);
    }

    @Test
    void aHugeLineWithoutLevelIsJudgedQuickly() {
        String json = "{\"msg\":\"" + "a\\\"".repeat(300_000) + "\"}";
        String text = "z ".repeat(500_000);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> {
            for (int i = 0; i < 20; i++) {
                assertEquals(NONE, LevelDetector.detect(text));
                assertEquals(NONE, LevelDetector.detect(json));
            }
        });
    }
}
