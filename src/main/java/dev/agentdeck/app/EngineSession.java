package dev.agentdeck.app;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.remote.RemoteEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One workspace the panel has open: either it owns the home's engine (in-process, with the home's lock and its
 * API, so {@code ctl} works), or it is attached over the API to the engine a {@code serve} or another panel runs.
 * The ViewModels see only the {@link ProcessService}.
 */
public final class EngineSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSession.class);
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(20);

    /** What closing does with an engine the panel owns. */
    public enum CloseAction {
        /** A background {@code agentdeck serve} takes the agents over (adopting them; none restarts). */
        HAND_OVER,
        /** Supervision ends; the agents keep running, and the next engine adopts them. */
        LEAVE_RUNNING,
        /** Every agent is stopped. */
        STOP_ALL
    }

    private final String name;
    private final String where;
    private final Workspace workspace;
    private final ProcessService service;
    private final HomeLock lock;
    private final ApiServer api;
    private final String apiProblem;

    private EngineSession(String name, String where, Workspace workspace, ProcessService service, HomeLock lock,
                          ApiServer api, String apiProblem) {
        this.name = name;
        this.where = where;
        this.workspace = workspace;
        this.service = service;
        this.lock = lock;
        this.api = api;
        this.apiProblem = apiProblem;
    }

    /**
     * Opens a home: owns its engine when nobody does (with its API when {@code options} enable it), else
     * attaches to the engine that holds it.
     *
     * @param focus what the owned engine's API does on {@code POST /api/panel/focus}, or null
     */
    public static EngineSession open(Workspace ws, String name, ApiOptions options, Runnable focus) throws IOException {
        var lock = HomeLock.tryAcquire(ws, "panel");
        if (lock.isPresent()) {
            return owned(ws, name, lock.get(), options, focus);
        }
        return attachHome(ws, name);
    }

    /** Owns a home whose lock the caller took. */
    public static EngineSession owned(Workspace ws, String name, HomeLock lock, ApiOptions options, Runnable focus)
            throws IOException {
        LocalEngine engine;
        try {
            engine = LocalEngine.open(ws);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        ApiServer api = null;
        String problem = null;
        if (options.enabled()) {
            try {
                api = ApiServer.start(engine, ws, options, "panel", focus);
            } catch (IOException | IllegalArgumentException e) {
                problem = e.getMessage(); // the panel works without its API
            }
        }
        engine.startAutostart();
        return new EngineSession(name, ws.configDir().toString(), ws, engine, lock, api, problem);
    }

    /** Attaches to the engine that holds a home, through its api.json and api.token. */
    public static EngineSession attachHome(Workspace ws, String name) throws IOException {
        try {
            RemoteEngine remote = RemoteEngine.connect(ApiClient.forWorkspace(ws));
            return new EngineSession(name, ws.configDir().toString(), ws, remote, null, null, null);
        } catch (CtlException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Attaches to an engine by its URL and token (another address or machine). */
    public static EngineSession attach(String url, String token, String name) {
        return new EngineSession(name, url, null, RemoteEngine.connect(new ApiClient(url, token)), null, null, null);
    }

    public String name() {
        return name;
    }

    /** The home folder, or the URL of an engine attached by address. */
    public String where() {
        return where;
    }

    /** The home, or null for an engine attached by URL. */
    public Workspace workspace() {
        return workspace;
    }

    public ProcessService service() {
        return service;
    }

    /** Whether the panel runs this engine (else it is attached to one that runs elsewhere). */
    public boolean owned() {
        return lock != null;
    }

    /** The owned engine's API, or null (off, failed, or attached). */
    public ApiServer api() {
        return api;
    }

    /** Why the owned engine has no API, or null. */
    public String apiProblem() {
        return apiProblem;
    }

    /** Ends the session; an attached one just lets go of its engine, which goes on. */
    @Override
    public void close() {
        close(CloseAction.LEAVE_RUNNING);
    }

    /**
     * Ends the session. For an owned engine, {@code action} says what becomes of its agents; a hand-over that
     * fails leaves them running unsupervised and says why (in the log and the exception).
     *
     * @return the PID of the background serve after a hand-over, else -1
     */
    public long close(CloseAction action) {
        if (!owned()) {
            service.close();
            return -1;
        }
        if (action == CloseAction.STOP_ALL) {
            try {
                service.stopAll().get(70, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("stop-all on closing {} did not finish: {}", where, e.toString());
            }
        }
        if (api != null) {
            api.close();
        }
        service.close();
        lock.close();
        if (action == CloseAction.HAND_OVER) {
            try {
                return BackgroundServe.start(workspace, HAND_OVER_WAIT);
            } catch (IOException e) {
                LOG.warn("handing {} over to a background serve failed; its agents run unsupervised: {}", where, e.getMessage());
                throw new java.io.UncheckedIOException(e);
            }
        }
        return -1;
    }
}
