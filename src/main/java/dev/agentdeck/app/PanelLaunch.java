package dev.agentdeck.app;

import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * What happens before the panel's window: choose the workspace and take its lock. When another instance holds
 * the home, a panel is brought to the front through its API and this one ends; a {@code serve} is named, with
 * what to do instead. Never two engines on one home.
 */
public final class PanelLaunch {
    /** The workspace the panel opens and the lock it holds while open. */
    public record Claim(OpenedWorkspace opened, HomeLock lock) {
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
        err.println("agentdeck: " + home + " is supervised by " + holder + "; only one engine may own a home. Control it with "
                + "`agentdeck ctl`, or stop it and open the panel again.");
        exitCode[0] = 1;
        return Optional.empty();
    }
}
