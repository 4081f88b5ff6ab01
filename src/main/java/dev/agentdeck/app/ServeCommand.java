package dev.agentdeck.app;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.Problem;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.tls.EngineCertificate;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code agentdeck serve}: the engine and its API without a window, for servers and CI. Takes the home's lock,
 * opens the workspace, starts the API and the agents marked autostart, supervises until SIGTERM or Ctrl-C,
 * then closes (agents keep running unless settings.json says stopAllOnExit). No JavaFX class is loaded.
 */
public final class ServeCommand {
    public static final String USAGE = """
            Usage: agentdeck [--home DIR] serve [API OPTIONS] [--wait-lock N]

            Runs the engine headless: starts the agents marked "autostart", restarts them by their
            restart policies, runs their health checks, samples their resources and rotates their logs,
            and serves the REST/SSE API (http://127.0.0.1:7700 by default; api.json in the data folder
            names the real address, api.token holds the token), until it receives SIGTERM or Ctrl-C.
            With --tls it serves https and prints its certificate's fingerprint, which clients pin.
            Agents keep running when it exits, unless settings.json sets "stopAllOnExit": true.
            --wait-lock N waits up to N seconds for the engine that owns the home to let go of it (the panel
            uses it to hand its agents over when its window closes).

            API options:
            """ + ApiOptions.HELP;

    /** The line a serve started with --wait-lock prints while it waits (the panel's hand-over looks for it). */
    public static final String WAITING = "agentdeck serve: waiting for the lock of ";

    private ServeCommand() {
    }

    public static int run(CommandLine cl, PrintStream out, PrintStream err) {
        if (cl.rest().contains("--help") || cl.rest().contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        long waitLockSeconds = 0;
        List<String> rest = cl.rest();
        if (rest.size() == 2 && rest.get(0).equals("--wait-lock")) {
            try {
                waitLockSeconds = Long.parseLong(rest.get(1));
            } catch (NumberFormatException e) {
                waitLockSeconds = -1;
            }
            if (waitLockSeconds <= 0 || waitLockSeconds > 600) {
                err.println("agentdeck serve: --wait-lock \"" + rest.get(1) + "\" must be a number of seconds from 1 to 600");
                return 2;
            }
            rest = List.of();
        }
        if (!rest.isEmpty()) {
            err.println("agentdeck serve: unknown argument " + rest.get(0) + " (see agentdeck serve --help)");
            return 2;
        }
        try {
            cl.api().bindAddress();
        } catch (IllegalArgumentException e) {
            err.println("agentdeck serve: " + e.getMessage());
            return 2;
        }
        Workspace ws = Workspace.resolve(cl.home(), System.getenv());
        Optional<HomeLock> lock;
        try {
            lock = HomeLock.tryAcquire(ws, "serve");
            if (lock.isEmpty() && waitLockSeconds > 0) {
                out.println(WAITING + ws.configDir() + " (held by " + HomeLock.holder(ws) + ")");
                out.flush();
                long deadline = System.nanoTime() + waitLockSeconds * 1_000_000_000L;
                while (lock.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    lock = HomeLock.tryAcquire(ws, "serve");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IOException e) {
            err.println("agentdeck serve: cannot create " + ws.engineLock() + ": " + e.getMessage());
            return 1;
        }
        if (lock.isEmpty()) {
            err.println("agentdeck serve: " + ws.configDir() + " is already supervised by " + HomeLock.holder(ws)
                    + "; only one engine may own a home. Use `agentdeck ctl` to control it, or stop it first.");
            return 1;
        }
        AppLogging.toFile(ws.dataDir(), false);
        LocalEngine engine;
        try {
            engine = LocalEngine.open(ws);
        } catch (IOException e) {
            lock.get().close();
            err.println("agentdeck serve: cannot open " + ws.configDir() + ": " + e.getMessage());
            return 1;
        }
        ApiServer api = null;
        if (cl.api().enabled()) {
            try {
                api = ApiServer.start(engine, ws, cl.api(), "serve", null);
            } catch (IOException | IllegalArgumentException e) {
                engine.close();
                lock.get().close();
                err.println("agentdeck serve: the API cannot start: " + e.getMessage());
                return 1;
            }
        }
        List<Problem> problems = engine.configProblems();
        if (!problems.isEmpty()) {
            err.println("agentdeck serve: " + ws.agentsFile() + " has problems; no agent is loaded until it is fixed:");
            problems.forEach(p -> err.println("  - " + p));
        }
        CountDownLatch closed = new CountDownLatch(1);
        ApiServer apiToClose = api;
        HomeLock held = lock.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (apiToClose != null) {
                apiToClose.close();
            }
            engine.close();
            held.close();
            out.println("AgentDeck engine stopped; agents keep running unless settings.json says stopAllOnExit");
            out.flush();
            closed.countDown();
        }, "agentdeck-serve-shutdown"));
        engine.startAutostart();
        int n = engine.agents().size();
        out.println("AgentDeck engine serving " + ws.configDir() + " (" + n + (n == 1 ? " agent, " : " agents, ")
                + engine.agents().stream().filter(a -> a.autostart()).count() + " autostart); stop with Ctrl-C or SIGTERM");
        if (api != null) {
            String where = cl.api().bindAddress().isLoopbackAddress() ? ""
                    : ", listening on " + cl.api().address() + ":" + api.port();
            out.println("API: " + api.url() + where + (cl.api().auth() ? " (token in " + ws.apiToken() + ")" : " (no auth)"));
            if (api.fingerprint() != null) {
                out.println("TLS certificate: " + api.fingerprint() + " (in " + EngineCertificate.dir(ws).resolve(
                        EngineCertificate.KEYSTORE) + "); clients pin it on first use: compare it with what they show");
            }
        }
        out.flush();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
