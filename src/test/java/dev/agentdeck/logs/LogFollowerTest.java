package dev.agentdeck.logs;

import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFollowerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<LogLine> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> started = new ArrayList<>();
    private LogFollower follower;

    @AfterEach
    void tearDown() throws Exception {
        if (follower != null) {
            follower.close();
        }
        for (Process p : started) {
            p.destroyForcibly().waitFor();
        }
        timer.shutdownNow();
    }

    private Path out() {
        return tmp.resolve("a.out.log");
    }

    private Path err() {
        return tmp.resolve("a.err.log");
    }

    private void follow(long outFrom, long errFrom) {
        follower = new LogFollower("a", out(), err(), outFrom, errFrom, timer, 20, seen::addAll);
    }

    private static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private List<String> texts() {
        synchronized (seen) {
            return seen.stream().map(LogLine::text).toList();
        }
    }

    @Test
    void linesComeInTheOrderTheyWereWrittenWithStderrMarkedAndPartialLinesHeld() throws Exception {
        follow(0, 0);
        append(out(), "INFO one\n");
        Await.until("first line", WAIT, () -> texts().equals(List.of("INFO one")));
        append(err(), "ERROR two\n");
        Await.until("second line", WAIT, () -> texts().size() == 2);
        append(out(), "three, not finished");
        append(out(), "");
        Await.until("a poll passed", WAIT, () -> follower.bytesRead() >= "INFO one\nERROR two\nthree, not finished".length());
        assertEquals(2, texts().size(), "a partial line waits for its newline");
        append(out(), " now finished\n");
        Await.until("the finished line", WAIT, () -> texts().size() == 3);
        assertEquals(List.of("INFO one", "ERROR two", "three, not finished now finished"), texts());
        assertEquals(LogStream.ERR, seen.get(1).stream());
        assertEquals(LogLevel.ERROR, seen.get(1).level());
        assertEquals(LogStream.OUT, seen.get(2).stream());
    }

    @Test
    void aTruncatedFileIsFollowedFromItsStartAndAMissingOneIsWaitedFor() throws Exception {
        follow(0, 0);
        Await.until("polling a file that is not there", WAIT, () -> !Files.exists(out()));
        append(out(), "before rotation\n");
        Await.until("first line", WAIT, () -> texts().size() == 1);
        Files.write(out(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        Await.until("the shrink is seen", WAIT, () -> follower.outOffset() == 0);
        append(out(), "after\n");
        Await.until("the line after rotation", WAIT, () -> texts().size() == 2);
        assertEquals("after", texts().get(1));
    }

    @Test
    void startsAtTheGivenOffsetsAndStopsDeliveringWhenClosed() throws Exception {
        append(out(), "old\n");
        follow(Files.size(out()), 0);
        append(out(), "new\n");
        Await.until("the new line only", WAIT, () -> texts().equals(List.of("new")));
        follower.close();
        long before = seen.size();
        append(out(), "after close\n");
        // a second follower proves polls happen; the closed one must stay silent
        List<LogLine> other = Collections.synchronizedList(new ArrayList<>());
        try (LogFollower probe = new LogFollower("a", out(), err(), 0, 0, timer, 20, other::addAll)) {
            Await.until("the probe read the file", WAIT, () -> other.size() == 3);
        }
        assertEquals(before, seen.size());
    }

    @Test
    void aFloodFromARealProcessArrivesCompleteAndInOrder() throws Exception {
        follow(0, 0);
        int n = 200_000;
        Process p = new ProcessBuilder("sh", "-c", "seq 1 " + n + " | sed 's/^/flood line /'")
                .redirectOutput(out().toFile()).start();
        started.add(p);
        Await.until("every line arrived", Duration.ofSeconds(60), () -> seen.size() >= n);
        List<String> t = texts();
        assertEquals(n, t.size());
        for (int i = 0; i < n; i += 9_973) {
            assertEquals("flood line " + (i + 1), t.get(i));
        }
        assertEquals("flood line " + n, t.get(n - 1));
        assertTrue(follower.linesDelivered() == n);
    }

    @Test
    void theRingKeepsTheNewestAndCountsWhatItDropped() {
        LineRing<Integer> ring = new LineRing<>(3);
        ring.addAll(List.of(1, 2, 3, 4, 5));
        assertEquals(3, ring.size());
        assertEquals(List.of(3, 4, 5), List.of(ring.get(0), ring.get(1), ring.get(2)));
        assertEquals(2, ring.dropped());
        ring.clear();
        assertEquals(0, ring.size());
        assertEquals(0, ring.dropped());
    }
}
