package dev.agentdeck.logs;

import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFollowerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> pids = new ArrayList<>();
    private final List<LogFollower> followers = new ArrayList<>();
    private final List<List<LogLine>> batches = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        followers.forEach(LogFollower::close);
        Procs.killAll(pids);
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    private Path out() {
        return dir.resolve("a.out.log");
    }

    private Path err() {
        return dir.resolve("a.err.log");
    }

    private LogFollower follow(long outFrom, long errFrom, long pollMs) {
        LogFollower f = new LogFollower("a", out(), err(), outFrom, errFrom, timer, pollMs, batch -> {
            synchronized (batches) {
                batches.add(batch);
            }
        });
        followers.add(f);
        return f;
    }

    private List<LogLine> lines() {
        synchronized (batches) {
            return batches.stream().flatMap(List::stream).collect(Collectors.toList());
        }
    }

    private List<String> texts() {
        return lines().stream().map(LogLine::text).collect(Collectors.toList());
    }

    /** Starts {@code sh -c script} with stdout and stderr appended to the agent's logs, as agents run. */
    private Process sh(String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err().toFile()))
                .start();
        pids.add(p.pid());
        return p;
    }

    private static void append(Path file, String text) throws IOException {
        append(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Returns once every poll scheduled before now has run: the timer has one thread and runs tasks in time order. */
    private void afterPolls(long ms) throws Exception {
        timer.schedule(() -> { }, ms, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void linesOfBothFilesArriveInTheOrderTheProcessWroteThem() throws Exception {
        Process p = sh("for i in 1 2 3 4; do echo \"out $i\"; sleep 0.3; echo \"err $i\" >&2; sleep 0.3; done");
        follow(0, 0, 20);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        Await.until("8 lines", WAIT, () -> lines().size() == 8);
        List<String> expected = List.of("out 1", "err 1", "out 2", "err 2", "out 3", "err 3", "out 4", "err 4");
        assertEquals(expected, texts());
        for (LogLine l : lines()) {
            assertEquals(l.text().startsWith("err") ? LogStream.ERR : LogStream.OUT, l.stream(), l.text());
            assertEquals("a", l.agentId());
        }
    }

    @Test
    void withinOnePollStdoutComesFirstAndLevelsAreTrackedPerStream() throws Exception {
        append(out(), "ERROR failed\n  detail of the error\n" + AgentLogs.MARKER + "exited with code 1 ERROR\n  after marker\n");
        append(err(), "INFO fine\n  detail of the info\n");
        follow(0, 0, 20);
        Await.until("one batch", WAIT, () -> lines().size() == 6);
        assertEquals(1, batches.size());
        List<LogLine> got = lines();
        assertEquals(List.of(
                new LogLine("a", LogStream.OUT, LogLevel.ERROR, "ERROR failed"),
                new LogLine("a", LogStream.OUT, LogLevel.ERROR, "  detail of the error"),
                new LogLine("a", LogStream.OUT, LogLevel.NONE, AgentLogs.MARKER + "exited with code 1 ERROR"),
                new LogLine("a", LogStream.OUT, LogLevel.NONE, "  after marker"),
                new LogLine("a", LogStream.ERR, LogLevel.INFO, "INFO fine"),
                new LogLine("a", LogStream.ERR, LogLevel.INFO, "  detail of the info")), got);
    }

    @Test
    void startsAtTheGivenOffsets() throws Exception {
        append(out(), "old out\nnew out\n");
        append(err(), "old err\nnew err\n");
        LogFollower f = follow(8, 8, 20);
        Await.until("two lines", WAIT, () -> lines().size() == 2);
        afterPolls(100);
        assertEquals(List.of("new out", "new err"), texts());
        assertEquals(16, f.outOffset());
        assertEquals(16, f.errOffset());
        assertEquals(16, f.bytesRead());
        assertEquals(2, f.linesDelivered());
    }

    @Test
    void aPartialLineIsHeldUntilItsNewlineEvenInsideACharacter() throws Exception {
        LogFollower f = follow(0, 0, 20);
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        append(out(), new byte[]{'h', 'e', 'l', euro[0], euro[1]});
        Await.until("5 bytes read", WAIT, () -> f.outOffset() == 5);
        afterPolls(100);
        assertEquals(List.of(), lines(), "nothing delivered before the newline");
        append(out(), new byte[]{euro[2], 'l', 'o', '\r', '\n', 'n', 'e', 'x', 't'});
        Await.until("the line", WAIT, () -> lines().size() == 1);
        afterPolls(100);
        assertEquals(List.of("hel\u20aclo"), texts());
        append(out(), "\n");
        Await.until("the second line", WAIT, () -> lines().size() == 2);
        assertEquals(List.of("hel\u20aclo", "next"), texts());
    }

    @Test
    void aLineOver64KiBIsDeliveredCutAndItsRestSkipped() throws Exception {
        LogFollower f = follow(0, 0, 20);
        append(out(), "x".repeat(40_000));
        Await.until("the first part read", WAIT, () -> f.outOffset() == 40_000);
        append(out(), "x".repeat(100_000));
        Await.until("the cut line", WAIT, () -> lines().size() == 1);
        append(out(), "x".repeat(10_000) + "\n" + "y".repeat(300_000) + "\nafter\n");
        Await.until("the line after it", WAIT, () -> texts().contains("after"));
        int max = LogFileReader.MAX_LINE;
        List<String> got = texts();
        assertEquals(3, got.size(), "lines");
        assertSameLong("x".repeat(max) + "\u2026", got.get(0));
        assertSameLong("y".repeat(max) + "\u2026", got.get(1));
        assertEquals("after", got.get(2));
    }

    /** Compares long lines without printing them whole. */
    private static void assertSameLong(String expected, String actual) {
        assertTrue(expected.equals(actual), () -> "expected " + expected.length() + " chars ending "
                + expected.substring(expected.length() - 3) + ", got " + actual.length() + " ending "
                + actual.substring(Math.max(0, actual.length() - 3)));
    }

    @Test
    void aTruncatedFileIsFollowedFromItsStartAgain() throws Exception {
        append(out(), "one\ntwo\nthree\n");
        follow(0, 0, 20);
        Await.until("three lines", WAIT, () -> lines().size() == 3);
        try (FileChannel ch = FileChannel.open(out(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(out(), "four\n");
        Await.until("the line after truncation", WAIT, () -> lines().size() == 4);
        assertEquals(List.of("one", "two", "three", "four"), texts());
    }

    @Test
    void aFileTruncatedAndRefilledBeyondTheOffsetBetweenTwoPollsIsReadFromItsStart() throws Exception {
        append(out(), "old\n");
        CountDownLatch firstBatch = new CountDownLatch(1);
        CountDownLatch mayGoOn = new CountDownLatch(1);
        LogFollower f = new LogFollower("a", out(), err(), 0, 0, timer, 20, batch -> {
            synchronized (batches) {
                batches.add(batch);
            }
            firstBatch.countDown();
            try {
                mayGoOn.await(10, TimeUnit.SECONDS); // hold the timer thread: no poll until the file is rewritten
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        followers.add(f);
        assertTrue(firstBatch.await(10, TimeUnit.SECONDS));
        try (FileChannel ch = FileChannel.open(out(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(out(), "brand new line\n");
        mayGoOn.countDown();
        Await.until("the new line", WAIT, () -> lines().size() == 2);
        assertEquals(List.of("old", "brand new line"), texts());
    }

    @Test
    void copyTruncateRotationOfAWritingProcessLosesNoOrderAndNoLineShape() throws Exception {
        sh("i=0; while true; do i=$((i+1)); echo \"line $i\"; done");
        LogFollower f = follow(0, 0, 20);
        LogRotator rotator = new LogRotator(new AgentLogs(dir), Long.MAX_VALUE, 2, timer, Runnable::run, java.util.Set::of);
        try {
            for (int r = 0; r < 3; r++) {
                long before = f.linesDelivered();
                Await.until("lines before rotation " + r, WAIT, () -> f.linesDelivered() > before + 20_000);
                rotator.rotate(out());
            }
            long rotated = f.linesDelivered();
            Await.until("lines after the last rotation", WAIT, () -> f.linesDelivered() > rotated + 20_000);
        } finally {
            rotator.close();
        }
        long previous = 0;
        int gaps = 0;
        for (String t : texts()) {
            assertTrue(t.matches("line \\d+"), "a whole line: " + t);
            long n = Long.parseLong(t.substring(5));
            assertTrue(n > previous, "after " + previous + " came " + n);
            gaps += n > previous + 1 ? 1 : 0;
            previous = n;
        }
        assertTrue(gaps <= 3, "at most one gap per rotation (copy-truncate), saw " + gaps);
    }

    @Test
    void aMissingFileIsWaitedFor() throws Exception {
        Path sub = dir.resolve("later");
        LogFollower f = new LogFollower("a", sub.resolve("a.out.log"), sub.resolve("a.err.log"), 0, 0, timer, 20,
                batch -> {
                    synchronized (batches) {
                        batches.add(batch);
                    }
                });
        followers.add(f);
        afterPolls(100);
        assertEquals(List.of(), lines());
        Files.createDirectories(sub);
        append(sub.resolve("a.err.log"), "first error\n");
        Await.until("the err line", WAIT, () -> lines().size() == 1);
        append(sub.resolve("a.out.log"), "first out\n");
        Await.until("the out line", WAIT, () -> lines().size() == 2);
        assertEquals(List.of("first error", "first out"), texts());
        assertEquals(LogStream.ERR, lines().get(0).stream());
    }

    @Test
    void closeStopsDelivery() throws Exception {
        sh("i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 0.01; done");
        LogFollower f = follow(0, 0, 20);
        Await.until("some lines", WAIT, () -> lines().size() >= 5);
        f.close();
        int atClose = lines().size();
        long delivered = f.linesDelivered();
        long size = Files.size(out());
        Await.until("the process wrote more", WAIT, () -> AgentLogs.size(out()) > size + 200);
        afterPolls(100);
        assertEquals(atClose, lines().size());
        assertEquals(delivered, f.linesDelivered());
        assertFalse(texts().isEmpty());
    }

    @Test
    void aFloodOf200kLinesArrivesCompleteAndInOrder() throws Exception {
        Process p = sh("awk 'BEGIN { for (i = 1; i <= 200000; i++) printf \"flood %d some payload to make the line longer\\n\", i;"
                + " for (i = 1; i <= 2000; i++) printf \"oops %d\\n\", i > \"/dev/stderr\" }'");
        LogFollower f = follow(0, 0, 50);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Await.until("202,000 lines", Duration.ofSeconds(60), () -> f.linesDelivered() == 202_000);
        afterPolls(100);
        int out = 0;
        int err = 0;
        for (LogLine l : lines()) {
            if (l.stream() == LogStream.OUT) {
                out++;
                assertEquals("flood " + out + " some payload to make the line longer", l.text());
            } else {
                err++;
                assertEquals("oops " + err, l.text());
            }
        }
        assertEquals(200_000, out);
        assertEquals(2_000, err);
        assertEquals(Files.size(out()) + Files.size(err()), f.bytesRead());
        synchronized (batches) {
            assertTrue(batches.stream().noneMatch(List::isEmpty));
        }
    }
}
