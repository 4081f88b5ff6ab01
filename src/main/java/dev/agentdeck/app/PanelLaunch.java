package dev.agentdeck.app;

import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * What happens before the panel's window: choose the workspace and take its lock. When another panel holds the
 * home, it is brought to the front through its API and this one ends; when a {@code serve} holds it, the panel
 * attaches to that engine. Never two engines on one home.
 */
public final class PanelLaunch {
    /**
     * The workspace the panel opens: with the lock it holds while open, or without one when a {@code serve} owns
     * the home and the panel attaches to it.
     */
    public record Claim(OpenedWorkspace opened, HomeLock lock) {
        public boolean attach() {
            return lock == null;
        }
    }

    /** Both are started at once: give the holder a moment to write who it is and to open its API. */
    private static final long SETTLE_MS = 3_000;

    private PanelLaunch() {
    }

    private static HomeLock.Holder holder(dev.agentdeck.config.Workspace ws) {
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        HomeLock.Holder h = HomeLock.holder(ws);
        while (h.pid() < 0 && System.currentTimeMillis() < deadline) {
            pause();
            h = HomeLock.holder(ws);
        }
        return h;
    }

    private static void focus(OpenedWorkspace opened) throws CtlException {
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        while (true) {
            try {
                ApiClient.forWorkspace(opened.workspace()).post("/api/panel/focus", null);
                return;
            } catch (CtlException e) {
                if (e.exitCode() != 3 || System.currentTimeMillis() >= deadline) {
                    throw e; // reachable and refused, or still not listening after the wait
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the lock of the workspace the command line names.
     *
     * @return the claim, or empty when another instance owns the home (what happened is printed to {@code err},
     * and {@code exitCode[0]} says how this process should end)
     */
    public static Optional<Claim> claim(CommandLine cl, PrintStream err, int[] exitCode) throws IOException {
        OpenedWorkspace opened = OpenedWorkspace.choose(cl.home(), System.getenv());
        Optional<HomeLock> lock = HomeLock.tryAcquire(opened.workspace(), "panel");
        if (lock.isPresent()) {
            return Optional.of(new Claim(opened, lock.get()));
        }
        HomeLock.Holder holder = holder(opened.workspace());
        String home = opened.workspace().configDir().toString();
        if (holder.kind().equals("panel")) {
            try {
                focus(opened);
                err.println("AgentDeck is already open on " + home + " (PID " + holder.pid() + "); brought its window to the front.");
                exitCode[0] = 0;
                return Optional.empty();
            } catch (CtlException e) {
                err.println("agentdeck: " + home + " is already open in " + holder + ", which could not be brought to the front ("
                        + e.getMessage() + "). Switch to that window, or close it first.");
                exitCode[0] = 1;
                return Optional.empty();
            }
        }
        // a serve (or an engine of unknown kind) owns the home: the panel attaches to it and leaves it running
        long deadline = System.currentTimeMillis() + SETTLE_MS;
        while (!java.nio.file.Files.exists(opened.workspace().apiJson()) && System.currentTimeMillis() < deadline) {
            pause();
        }
        if (!java.nio.file.Files.exists(opened.workspace().apiJson())) {
            err.println("agentdeck: " + home + " is supervised by " + holder + " without its API (started with --no-api?), "
                    + "so the panel cannot attach to it. Stop it, or start it with its API, and open the panel again.");
            exitCode[0] = 1;
            return Optional.empty();
        }
        return Optional.of(new Claim(opened, null));
    }
}
