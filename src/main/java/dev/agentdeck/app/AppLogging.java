package dev.agentdeck.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes AgentDeck's own log (SLF4J over java.util.logging) to a size-rotated file in the data folder:
 * {@code agentdeck-0.log} is the newest, three files of 5 MB at most, each 0600 ({@link EngineLogHandler}).
 */
public final class AppLogging {
    private AppLogging() {
    }

    /** Sends everything at INFO and above to the rotating file; keeps console output only when asked. */
    public static void toFile(Path dataDir, boolean keepConsole) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        Logger root = LogManager.getLogManager().getLogger("");
        try {
            EngineLogHandler file = EngineLogHandler.open(dataDir, 5_000_000, 3);
            file.setFormatter(new SimpleFormatter());
            file.setLevel(Level.INFO);
            if (!keepConsole) {
                for (Handler h : root.getHandlers()) {
                    root.removeHandler(h);
                }
            }
            root.addHandler(file);
            root.setLevel(Level.INFO);
        } catch (IOException e) {
            root.warning("AgentDeck's log file could not be opened in " + dataDir + ": " + e);
        }
    }
}
