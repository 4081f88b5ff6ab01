package dev.agentdeck.testutil;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.api.ApiToken;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.remote.RemoteEngine;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** An engine served on a free loopback port with a {@link RemoteEngine} attached to it, as a panel attaches. */
public final class Attached implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LocalEngine engine;
    private final ApiServer server;
    private final RemoteEngine remote;

    private Attached(LocalEngine engine, ApiServer server, RemoteEngine remote) {
        this.engine = engine;
        this.server = server;
        this.remote = remote;
    }

    public static Attached to(LocalEngine engine, Workspace ws) throws IOException {
        ApiOptions options = ApiOptions.parse(List.of("--api-port", "0"), ApiOptions.DEFAULT).options();
        ApiServer server = ApiServer.start(engine, ws, options, "serve", null);
        RemoteEngine remote = RemoteEngine.connect(new ApiClient(server.info().url(), ApiToken.read(ws.apiToken())));
        try {
            if (!remote.awaitConnected(WAIT)) {
                throw new IOException("the remote client did not connect to " + server.info().url() + ": "
                        + remote.connection().reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return new Attached(engine, server, remote);
    }

    public RemoteEngine remote() {
        return remote;
    }

    public ApiServer server() {
        return server;
    }

    /** Waits until the client holds every event the engine published and each agent's latest snapshot. */
    public void caughtUp() {
        List<AgentEvent> published = engine.recentEvents(0);
        long last = published.isEmpty() ? 0 : published.get(published.size() - 1).seq();
        Await.until("the remote client received event " + last, WAIT, () -> {
            List<AgentEvent> got = remote.recentEvents(last - 1);
            return last == 0 || (!got.isEmpty() && got.get(got.size() - 1).seq() >= last);
        });
        Await.until("the remote client holds the engine's snapshots", WAIT, () -> engine.statuses().stream().allMatch(s -> {
            AgentStatus held = remote.status(s.id()).orElse(null);
            return held != null && Objects.equals(held.updatedAt(), s.updatedAt());
        }) && remote.agents().equals(dev.agentdeck.api.WireForms.masked(engine.agents())));
    }

    @Override
    public void close() {
        remote.close();
        server.close();
    }
}
