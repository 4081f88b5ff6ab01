package dev.agentdeck.testutil;

import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.LocalEngine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An in-process engine on a test's own home, for tests outside the {@code process} package: its events recorded,
 * and on {@link #close()} every agent stopped through it and every PID the test noted KILLed if still there.
 */
public final class EngineFixture {
    public static final Duration WAIT = Duration.ofSeconds(10);
    public final TestHome home;
    public final EventLog log = new EventLog();
    /** PIDs of processes the test caused to exist; KILLed on close if a failed test left them. */
    public final List<Long> started = new ArrayList<>();
    private LocalEngine engine;

    public EngineFixture(Path dir) {
        this.home = new TestHome(dir);
    }

    /** Opens the engine on the home (writing agents.json first unless null) and records what it publishes. */
    public LocalEngine open(String agentsJson) throws IOException {
        if (agentsJson != null) {
            home.agentsJson(agentsJson);
        }
        engine = LocalEngine.open(home.workspace());
        engine.subscribe(log);
        return engine;
    }

    public LocalEngine engine() {
        return engine;
    }

    /** Closes the engine as the app's exit does (stop-all first when settings.json says stopAllOnExit). */
    public void closeEngine() {
        notePids();
        engine.close();
        engine = null;
    }

    public <T> T await(CompletableFuture<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts an agent, notes its PID, and returns its status. */
    public AgentStatus start(String id) throws Exception {
        AgentStatus s = await(engine.start(id));
        note(s.pid());
        return s;
    }

    public void note(Long pid) {
        if (pid != null && pid > 0) {
            started.add(pid);
        }
    }

    private void notePids() {
        if (engine != null) {
            engine.statuses().forEach(s -> note(s.pid()));
        }
    }

    public void close() throws Exception {
        Engines.stopAndClose(engine, started);
        engine = null;
    }
}
