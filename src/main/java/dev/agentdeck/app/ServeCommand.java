package dev.agentdeck.app;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.Problem;
import dev.agentdeck.process.LocalEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code agentdeck serve}: the engine without a window, for servers and CI. Opens the workspace, starts the
 * agents marked autostart, supervises until SIGTERM or Ctrl-C, then closes the engine (agents keep running
 * unless settings.json says stopAllOnExit). No JavaFX class is loaded.
 */
public final class ServeCommand {
    public static final String USAGE = """
            Usage: agentdeck [--home DIR] serve

            Runs the engine headless: starts the agents marked "autostart", restarts them by their
            restart policies, runs their health checks, samples their resources and rotates their logs,
            until it receives SIGTERM or Ctrl-C. Agents keep running when it exits, unless
            settings.json sets "stopAllOnExit": true.
            """;

    private ServeCommand() {
    }

    public static int run(CommandLine cl, PrintStream out) {
        if (cl.rest().contains("--help") || cl.rest().contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        if (!cl.rest().isEmpty()) {
            System.err.println("agentdeck serve: unknown argument " + cl.rest().get(0) + " (see agentdeck serve --help)");
            return 2;
        }
        Workspace ws = Workspace.resolve(cl.home(), System.getenv());
        AppLogging.toFile(ws.dataDir(), false);
        LocalEngine engine;
        try {
            engine = LocalEngine.open(ws);
        } catch (IOException e) {
            System.err.println("agentdeck serve: cannot open " + ws.configDir() + ": " + e.getMessage());
            return 1;
        }
        List<Problem> problems = engine.configProblems();
        if (!problems.isEmpty()) {
            System.err.println("agentdeck serve: " + ws.agentsFile() + " has problems; no agent is loaded until it is fixed:");
            problems.forEach(p -> System.err.println("  - " + p));
        }
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            closed.countDown();
        }, "agentdeck-serve-shutdown"));
        engine.startAutostart();
        out.println("AgentDeck engine serving " + ws.configDir() + " (" + engine.agents().size() + " agents, "
                + engine.agents().stream().filter(a -> a.autostart()).count() + " autostart); stop with Ctrl-C or SIGTERM");
        out.flush();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
