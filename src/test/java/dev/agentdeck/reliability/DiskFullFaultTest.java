package dev.agentdeck.reliability;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Health;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.EventLog;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The engine's data folder (history.db, logs/, run/) on a real 2 MB tmpfs that an agent's log flood fills: the engine
 * goes on supervising (the other agent keeps its PID and its health, start and stop work), says once what it could
 * not write (history.db, the log it could not rotate, each naming the file and "no space left"), and once space comes
 * back (the test deletes its filler file) history is written again, the log is rotated, and it says so.
 */
@Tag("reliability")
class DiskFullFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int FILLER_BYTES = 1_200 * 1024;

    @TempDir
    Path tmp;
    private Path disk;
    private boolean mounted;
    private LocalEngine engine;
    private final List<Long> started = new ArrayList<>();
    private final EventLog log = new EventLog();

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = Files.createDirectories(tmp.resolve("disk"));
        // Mounting needs root: a developer's own machine runs the suite as a user, CI runs it as root. As root it
        // never skips: a mount that fails there fails the test, so the suite cannot pass without filling a disk.
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
        Assumptions.assumeTrue("0".equals(uid), "DiskFullFaultTest mounts a 2 MB tmpfs and needs root: skipped for uid " + uid);
        String out = run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", disk.toString());
        mounted = out == null;
        if (!mounted) {
            fail("DiskFullFaultTest runs as root and could not mount a 2 MB tmpfs (no CAP_SYS_ADMIN?): " + out);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            Engines.stopAndClose(engine, started);
        } finally {
            if (mounted && run("umount", disk.toString()) != null) {
                String lazy = run("umount", "-l", disk.toString());
                assertEquals(null, lazy, "could not unmount " + disk);
            }
        }
    }

    @Test
    void aFullDiskIsReportedOnceWhileSupervisionGoesOnAndRecoveryIsReportedToo() throws Exception {
        TestHome config = new TestHome(Files.createDirectories(tmp.resolve("config")));
        Workspace ws = new Workspace(config.dir(), disk.resolve("data"));
        // a flood of 4 MB into a 2 MB disk, then quiet; the log rotates past 64 KB (keeping one part)
        Path flood = config.script("flood", "yes 'flood flood flood flood flood flood flood flood flood flood'"
                + " | head -c 4000000; exec sleep 300");
        TestHome.write(config.file("settings.json"), """
                {"logMaxBytes": 65536, "logKeep": 1, "metricsIntervalMs": 100, "backgroundMetricsMs": 100}
                """);
        config.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "steady", "command": "sleep", "args": ["300"],
                   "healthCheck": {"type": "command", "command": ["true"], "intervalMs": 200}},
                  {"id": "flood", "command": "%s"},
                  {"id": "spare", "command": "sleep", "args": ["300"]}]}
                """.formatted(flood));
        engine = LocalEngine.open(ws);
        engine.subscribe(log);
        assertTrue(engine.historyProblem().isEmpty(), String.valueOf(engine.historyProblem()));
        AgentStatus steady = start("steady");
        Await.until("steady is healthy", WAIT, () -> health("steady") == Health.HEALTHY);
        Path filler = disk.resolve("filler");
        Files.write(filler, new byte[FILLER_BYTES]);

        start("flood");
        Path floodLog = ws.logsDir().resolve("flood.out.log");
        AgentEvent rotation = awaitError("the failed rotation of flood.out.log is reported",
                e -> "flood".equals(e.agentId()) && says(e, "could not rotate", floodLog.toString(), "no space left"));
        flushHistory(); // a batch is committed now: on a full disk it fails
        AgentEvent history = awaitError("the failed history write is reported",
                e -> says(e, "history could not be written", ws.historyDb().toString(), "no space left"));
        assertTrue(Files.notExists(floodLog.resolveSibling("flood.out.log.rotating")),
                "a failed rotation left its partial copy, holding the space that is missing");

        // while the disk stays full: supervision, health, start and stop go on, and nothing is reported twice
        long until = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
        AgentStatus spare = start("spare");
        assertEquals(AgentState.STOPPED, engine.stop("spare").get(WAIT.toSeconds(), TimeUnit.SECONDS).state());
        assertFalse(dev.agentdeck.testutil.Procs.running(spare.pid()), "spare's process outlived its stop");
        while (System.nanoTime() < until) {
            flushHistory();
            assertRunning("steady", steady.pid());
            assertEquals(Health.HEALTHY, health("steady"), "steady's health checks stopped while the disk was full");
            LockSupport.parkNanos(100_000_000);
        }
        assertEquals(List.of(rotation), errors(e -> says(e, "rotat")), "the rotation failure was reported more than once");
        assertEquals(List.of(history), errors(e -> says(e, "history")), "the history failure was reported more than once");
        assertTrue(Files.size(floodLog) > 65_536, "the flood did not outgrow the rotation limit: " + Files.size(floodLog));

        // space comes back
        Files.delete(filler);
        awaitError("rotation is reported working again",
                e -> "flood".equals(e.agentId()) && says(e, "log rotation works again", floodLog.toString()));
        flushHistory();
        awaitError("history is reported written again", e -> says(e, "history is written to", ws.historyDb().toString(), "again"));
        assertTrue(Files.size(floodLog) < 65_536, "flood.out.log was not rotated: " + Files.size(floodLog));
        assertTrue(Files.exists(floodLog.resolveSibling("flood.out.log.1")), "the rotated part is missing");
        start("spare");
        flushHistory();
        List<AgentEvent> recorded = engine.events(new EventQuery("spare", List.of("spawned"), null, null, null, 10))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(recorded.isEmpty(), "history records nothing after the space came back");
        assertRunning("steady", steady.pid());
    }

    /** Waits (with a deadline) until what the engine recorded so far went to the history writer and was committed or failed. */
    private void flushHistory() throws Exception {
        java.util.concurrent.CompletableFuture.runAsync(engine::flushHistory).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private AgentStatus start(String id) throws Exception {
        AgentStatus s = engine.start(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        started.add(s.pid());
        return s;
    }

    private Health health(String id) {
        return engine.status(id).map(AgentStatus::health).orElse(Health.UNKNOWN);
    }

    private void assertRunning(String id, long pid) {
        AgentStatus s = engine.status(id).orElseThrow();
        assertEquals(AgentState.RUNNING, s.state(), id + " is not running: " + s.message());
        assertEquals(pid, s.pid(), id + " lost its process");
        assertTrue(dev.agentdeck.testutil.Procs.running(pid), id + "'s PID " + pid + " is gone");
    }

    private List<AgentEvent> errors(java.util.function.Predicate<AgentEvent> which) {
        return log.ofType(EventType.ERROR).stream().filter(which).toList();
    }

    private AgentEvent awaitError(String what, java.util.function.Predicate<AgentEvent> which) {
        try {
            return Await.value(what, WAIT, () -> errors(which), l -> !l.isEmpty()).get(0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nevents: " + log.describe() + "\non the disk: " + listing(), e);
        }
    }

    /** The disk's files and their sizes, for a failure message. */
    private String listing() {
        try (var files = Files.walk(disk)) {
            return files.filter(Files::isRegularFile).map(f -> disk.relativize(f) + " " + f.toFile().length()).toList().toString();
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** True when the event's message holds every word (case-insensitive). */
    private static boolean says(AgentEvent e, String... words) {
        String m = e.message().toLowerCase(Locale.ROOT);
        for (String w : words) {
            if (!m.contains(w.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
    }
}
