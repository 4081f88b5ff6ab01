package dev.agentdeck.process;

import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.testutil.EventLog;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An engine on the test's own temp --home, with its events recorded and every PID it saw killed afterwards. */
abstract class EngineTestBase {
    static final Duration WAIT = Duration.ofSeconds(10);
    @TempDir
    Path tmp;
    TestHome home;
    /** The engine the test's agents run in. */
    LocalEngine local;
    /** What the test talks to: the engine itself, or (in the Attached variants) a client over its API. */
    ProcessService engine;
    final EventLog log = new EventLog();
    /** PIDs of processes this test caused to exist; killed in tearDown if a failed test left them. */
    final List<Long> started = new ArrayList<>();

    @BeforeEach
    void setUpHome() {
        home = new TestHome(tmp);
    }

    /** Stops every agent through the engine (whole trees), then KILLs any PID the test saw that still runs. */
    @AfterEach
    void tearDown() throws Exception {
        if (engine != null && engine != local) {
            engine.close();
        }
        if (attached != null) {
            attached.close();
        }
        dev.agentdeck.testutil.Engines.stopAndClose(local, started);
    }

    private dev.agentdeck.testutil.Attached attached;

    /** Ends supervision as the app's exit does (agents keep running): the client, the API and the engine. */
    void closeEngine() {
        if (engine != local) {
            engine.close();
            attached.close();
            attached = null;
        }
        local.close();
        engine = null;
    }

    /** Opens the engine of a home again after {@link #closeEngine()}, with the test's service over it. */
    ProcessService reopen(dev.agentdeck.config.Workspace ws) throws IOException {
        local = LocalEngine.open(ws);
        engine = over(local);
        return engine;
    }

    /** The service the test uses over the engine; the Attached variants of a test override it. */
    ProcessService over(LocalEngine e) throws IOException {
        return e;
    }

    /** Serves the engine's API on a free loopback port and attaches a remote client to it. */
    ProcessService attach(LocalEngine e) throws IOException {
        attached = dev.agentdeck.testutil.Attached.to(e, home.workspace());
        return attached.remote();
    }

    /** Waits until every event and status published so far has reached the test's service. */
    void flushEvents() {
        local.flushEvents();
        if (attached != null) {
            attached.caughtUp();
        }
    }

    void flushHistory() {
        local.flushHistory();
        flushEvents();
    }

    ProcessService open(String agentsJson) throws IOException {
        if (agentsJson != null) {
            home.agentsJson(agentsJson);
        }
        local = LocalEngine.open(home.workspace());
        engine = over(local);
        engine.subscribe(log);
        return engine;
    }

    <T> T await(CompletableFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    AgentStatus started(String id) throws Exception {
        AgentStatus s = await(engine.start(id));
        if (s.pid() != null) {
            started.add(s.pid());
        }
        return s;
    }

    /** The exception a future failed with, unwrapped. */
    static Throwable failure(CompletableFuture<?> f) throws InterruptedException, TimeoutException {
        try {
            f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail, but it completed normally");
    }
}
