package dev.agentdeck.remote;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.api.ApiToken;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.Connection;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Engines;
import dev.agentdeck.testutil.EventLog;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client attached to an engine's API: it loses the engine plainly, resumes without losing events, and a wrong token changes nothing. */
class AttachTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private LocalEngine engine;
    private ApiServer server;
    private RemoteEngine remote;
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        if (remote != null) {
            remote.close();
        }
        if (server != null) {
            server.close();
        }
        Engines.stopAndClose(engine, started);
    }

    private TestHome home() {
        return new TestHome(tmp).agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"]},
                                          {"id": "b", "command": "sleep", "args": ["300"]}]}
                """);
    }

    private ApiServer serve(TestHome home, int port) throws Exception {
        return ApiServer.start(engine, home.workspace(), ApiOptions.parse(List.of("--api-port", Integer.toString(port)),
                ApiOptions.DEFAULT).options(), "serve", null);
    }

    @Test
    void aDroppedConnectionIsShownAndResumesWithEveryEventItMissedOnce() throws Exception {
        TestHome home = home();
        engine = LocalEngine.open(home.workspace());
        server = serve(home, 0);
        int port = server.info().port();
        remote = RemoteEngine.connect(new ApiClient(server.info().url(), ApiToken.read(home.workspace().apiToken())));
        assertTrue(remote.awaitConnected(WAIT));
        EventLog log = new EventLog();
        List<Connection> seen = new ArrayList<>();
        remote.subscribe(log);
        remote.subscribe(new dev.agentdeck.process.EngineListener() {
            @Override
            public void onConnection(Connection c) {
                synchronized (seen) {
                    seen.add(c);
                }
            }
        });
        started.add(remote.start("a").get(10, TimeUnit.SECONDS).pid());

        server.close(); // the engine goes on; only its API is gone
        Await.until("the client says it lost the engine", WAIT, () -> !remote.connection().connected());
        Connection lost = remote.connection();
        assertEquals(Connection.State.DISCONNECTED, lost.state());
        assertTrue(lost.reason() != null && !lost.reason().isBlank(), String.valueOf(lost.reason()));
        assertTrue(lost.retryAt() != null, "it says when it tries again");
        EngineException refused = assertInstanceOf(EngineException.class, failure(remote.start("b")));
        assertTrue(refused.getMessage().contains("not connected"), refused.getMessage());
        assertEquals(AgentState.STOPPED, engine.status("b").orElseThrow().state(), "a refused command changes nothing");

        started.add(engine.start("b").get(10, TimeUnit.SECONDS).pid()); // happens while the client is away
        engine.flushEvents();
        long missed = engine.recentEvents(0).stream().filter(e -> "b".equals(e.agentId()) && e.type() == EventType.SPAWNED)
                .findFirst().orElseThrow().seq();

        server = serve(home, port);
        remote.reconnect();
        assertTrue(remote.awaitConnected(WAIT), "reconnected: " + remote.connection());
        Await.until("the missed SPAWNED of b arrived", WAIT, () -> log.events("b", EventType.SPAWNED).size() == 1);
        assertEquals(AgentState.RUNNING, remote.status("b").orElseThrow().state());
        List<Long> seqs = log.events().stream().map(AgentEvent::seq).toList();
        assertEquals(seqs.stream().distinct().count(), seqs.size(), "no event twice: " + seqs);
        assertTrue(seqs.contains(missed));
        synchronized (seen) {
            assertTrue(seen.stream().anyMatch(c -> !c.connected()) && seen.get(seen.size() - 1).connected(), seen.toString());
        }
    }

    @Test
    void aWrongTokenIsRefusedAndChangesNothing() throws Exception {
        TestHome home = home();
        engine = LocalEngine.open(home.workspace());
        server = serve(home, 0);
        byte[] config = Files.readAllBytes(home.agentsFile());
        remote = RemoteEngine.connect(new ApiClient(server.info().url(), "not-the-token"));
        Await.until("the client reports the refusal", WAIT, () -> remote.connection().state() == Connection.State.DISCONNECTED);
        assertTrue(remote.connection().reason().contains("token"), remote.connection().reason());
        assertTrue(remote.agents().isEmpty(), "it shows nothing it did not receive");
        assertInstanceOf(EngineException.class, failure(remote.start("a")));
        assertInstanceOf(EngineException.class, failure(remote.removeAgent("a")));
        assertEquals(AgentState.STOPPED, engine.status("a").orElseThrow().state());
        assertEquals(2, engine.agents().size());
        assertArrayEquals(config, Files.readAllBytes(home.agentsFile()));
    }

    @Test
    void aMaskedSecretWithNoValueBehindItIsRefusedAndTheRealOneNeverSent() throws Exception {
        TestHome home = new TestHome(tmp).agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"], "env": {"API_KEY": "s3cret"}}]}
                """);
        engine = LocalEngine.open(home.workspace());
        server = serve(home, 0);
        remote = RemoteEngine.connect(new ApiClient(server.info().url(), ApiToken.read(home.workspace().apiToken())));
        assertTrue(remote.awaitConnected(WAIT));
        var shown = remote.agents().get(0);
        assertEquals("********", shown.env().get("API_KEY"), "the secret does not cross the wire");
        byte[] config = Files.readAllBytes(home.agentsFile());
        // a copy of the agent under another id carries the mask, which stands for nothing there
        EngineException e = assertInstanceOf(EngineException.class,
                failure(remote.addAgent(dev.agentdeck.core.AgentSpec.builder("copy").command("sleep").args("300")
                        .env(shown.env()).build())));
        assertEquals(dev.agentdeck.core.ErrorCode.INVALID, e.code());
        assertTrue(e.error().details().toString().contains("env API_KEY"), e.error().details().toString());
        assertArrayEquals(config, Files.readAllBytes(home.agentsFile()));
        // saving the agent itself with its mask keeps the real value
        remote.updateAgent(shown.toBuilder().tags(List.of("x")).build()).get(10, TimeUnit.SECONDS);
        assertEquals("s3cret", engine.agents().get(0).env().get("API_KEY"));
    }

    @Test
    void aPanelAttachesOverTlsPinningTheCertificateAndRefusesAnotherOne() throws Exception {
        TestHome home = home();
        engine = LocalEngine.open(home.workspace());
        server = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true, true), "serve", null);
        String url = server.info().url();
        assertTrue(url.startsWith("https://"), url);
        String token = ApiToken.read(home.workspace().apiToken());
        var pins = new dev.agentdeck.tls.KnownEngines(tmp.resolve("known-engines.json"));
        List<String> pinned = new ArrayList<>();
        remote = RemoteEngine.connect(new ApiClient(url, token, pins, null, pinned::add));
        assertTrue(remote.awaitConnected(WAIT), String.valueOf(remote.connection()));
        assertEquals(2, remote.agents().size());
        started.add(remote.start("a").get(10, TimeUnit.SECONDS).pid());
        assertEquals(1, pinned.size(), "pinned on first use: " + pinned);
        remote.close();

        // expecting another certificate (as after the engine's was replaced): refused, nothing shown
        var other = dev.agentdeck.tls.Fingerprint.parse("SHA256:" + "AB".repeat(32));
        RemoteEngine wary = RemoteEngine.connect(new ApiClient(url, token, pins, other, s -> { }));
        try {
            Await.until("the changed certificate is refused", WAIT, () -> wary.connection().state() == Connection.State.DISCONNECTED);
            assertTrue(wary.connection().reason().contains("certificate"), wary.connection().reason());
            assertTrue(wary.agents().isEmpty());
        } finally {
            wary.close();
        }
    }

    private static Throwable failure(java.util.concurrent.CompletableFuture<?> f) throws Exception {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the future to fail");
    }
}
