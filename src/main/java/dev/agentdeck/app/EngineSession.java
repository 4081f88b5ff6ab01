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
        checkUrl(url);
        return new EngineSession(name, url, null, RemoteEngine.connect(new ApiClient(url, token)), null, null, null);
    }

    /**
     * Refuses an URL the token must not be sent to: not http(s), or plain http to another machine (the token
     * would cross the network in clear; the engine's {@code --tls}, or an SSH tunnel to its loopback port, avoid it).
     */
    public static void checkUrl(String url) {
        java.net.URI u;
        try {
            u = java.net.URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + url + "\" is not an URL such as https://build-box:7700");
        }
        String scheme = String.valueOf(u.getScheme()).toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
            throw new IllegalArgumentException("\"" + url + "\" is not an URL such as https://build-box:7700");
        }
        if (scheme.equals("http")) {
            boolean loopback;
            try {
                loopback = u.getHost().equals("localhost") || java.net.InetAddress.getByName(u.getHost()).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                loopback = false;
            }
            if (!loopback) {
                throw new IllegalArgumentException(url + " is plain http to another machine: the token would cross the "
                        + "network unencrypted. Start that engine with --tls and use https://, or reach it through an SSH "
                        + "tunnel (ssh -L 7700:127.0.0.1:7700 host) and attach to http://127.0.0.1:7700");
            }
        }
    }

    public String name() {
        return name;
    }

    /** The home folder, or the URL of an engine attached by address. */
    public String where() {
        return where;
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
     * Ends the session. For an owned engine, {@code action} says what becomes of its agents. A hand-over starts
     * the background serve before letting go of the home; when the serve does not come up, the agents are left
     * running (as with {@link CloseAction#LEAVE_RUNNING}) and the exception says why.
     *
     * @return the PID of the background serve after a hand-over, else -1
     * @throws HandOverFailed when the hand-over failed (the agents run on, unsupervised)
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
        if (action != CloseAction.HAND_OVER) {
            release();
            return -1;
        }
        boolean[] released = {false};
        try {
            return BackgroundServe.start(workspace, HAND_OVER_WAIT, () -> {
                release();
                released[0] = true;
            });
        } catch (IOException e) {
            if (!released[0]) {
                release();
            }
            LOG.warn("handing {} over to a background serve failed; its agents run unsupervised: {}", where, e.getMessage());
            throw new HandOverFailed(where + ": the agents could not be handed to a background serve, so they run on "
                    + "unsupervised (" + e.getMessage() + "). Open AgentDeck on it again to supervise them.", e);
        }
    }

    /** Ends supervision, leaving the agents running whatever stopAllOnExit says: the user chose on closing. */
    private void release() {
        if (api != null) {
            api.close();
        }
        ((LocalEngine) service).detach(); // owned() means the panel runs a LocalEngine
        lock.close();
    }

    /** A hand-over that did not happen; the message says what the user should know. */
    public static final class HandOverFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandOverFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
