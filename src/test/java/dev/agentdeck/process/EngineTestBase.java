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
    LocalEngine engine;
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
        dev.agentdeck.testutil.Engines.stopAndClose(engine, started);
    }

    LocalEngine open(String agentsJson) throws IOException {
        if (agentsJson != null) {
            home.agentsJson(agentsJson);
        }
        engine = LocalEngine.open(home.workspace());
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
