package dev.agentdeck.remote;

import dev.agentdeck.logs.LogLine;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.logs.LogStream;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Attached;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.TestHome;
import dev.agentdeck.ui.logs.LogFeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A log pane's feed attached to an engine reads the same lines, by the same offsets, as on the engine's machine. */
class RemoteLogsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private LocalEngine engine;
    private Attached attached;
    private final List<Long> started = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void tearDown() throws Exception {
        timer.shutdownNow();
        if (attached != null) {
            attached.close();
        }
        Engines.stopAndClose(engine, started);
    }

    @Test
    void backlogPagingAndFollowingMatchTheFilesAndSurviveADroppedConnection() throws Exception {
        TestHome home = new TestHome(tmp);
        home.script("talk", """
                i=0
                while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done
                echo "ERROR something failed" >&2
                exec sleep 300
                """);
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "t", "command": "bin/talk", "restart": {"policy": "never"}}]}
                """);
        engine = LocalEngine.open(home.workspace());
        attached = Attached.to(engine, home.workspace());
        RemoteEngine remote = attached.remote();
        started.add(remote.start("t").get(10, TimeUnit.SECONDS).pid());
        LogSource local = engine.logs();
        Await.until("the agent wrote its lines", WAIT, () -> {
            try {
                return local.ends("t").err() > 0 && local.ends("t").out() > 2_000;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertEquals(local.ends("t"), remote.logs().ends("t"));
        LogSource.Offsets ends = local.ends("t");
        assertEquals(local.linesBefore("t", LogStream.OUT, ends.out(), 50), remote.logs().linesBefore("t", LogStream.OUT, ends.out(), 50));

        List<LogLine> backlog = new ArrayList<>();
        List<LogLine> arrived = new ArrayList<>();
        LogFeed feed = new LogFeed(remote.logs(), List.of("t"), 100, 1_000, timer, Runnable::run);
        feed.start(new LogFeed.Listener() {
            @Override
            public void onBacklog(List<LogLine> lines) {
                synchronized (backlog) {
                    backlog.clear();
                    backlog.addAll(lines);
                }
            }

            @Override
            public void onLines(List<LogLine> lines, long dropped) {
                synchronized (arrived) {
                    arrived.addAll(lines);
                }
            }
        });
        Await.until("the backlog came", WAIT, () -> {
            synchronized (backlog) {
                return !backlog.isEmpty();
            }
        });
        synchronized (backlog) {
            assertTrue(backlog.stream().anyMatch(l -> l.text().equals("line 299")), backlog.toString());
            assertTrue(backlog.stream().anyMatch(l -> l.stream() == LogStream.ERR && l.text().startsWith("ERROR")));
        }
        List<LogLine> older = feed.older(100).get(10, TimeUnit.SECONDS);
        assertTrue(older.stream().anyMatch(l -> l.text().equals("line 150")), "paging back reads older lines");

        // the API goes away and comes back; the follow resumes where it got to
        int port = attached.server().info().port();
        attached.server().close();
        Await.until("the client lost the engine", WAIT, () -> !remote.connection().connected());
        dev.agentdeck.api.ApiServer again = dev.agentdeck.api.ApiServer.start(engine, home.workspace(),
                dev.agentdeck.api.ApiOptions.parse(List.of("--api-port", Integer.toString(port)), dev.agentdeck.api.ApiOptions.DEFAULT).options(),
                "serve", null);
        try {
            remote.reconnect();
            assertTrue(remote.awaitConnected(WAIT));
            java.nio.file.Files.writeString(home.workspace().logsDir().resolve("t.out.log"), "written while away\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Await.until("the line written while away arrived once", WAIT, () -> {
                synchronized (arrived) {
                    return arrived.stream().filter(l -> l.text().equals("written while away")).count() == 1;
                }
            });
        } finally {
            feed.close();
            again.close();
        }
    }
}
