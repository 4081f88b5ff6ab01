package dev.agentdeck.ui.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens a file in the desktop's default application ({@code xdg-open}, {@code open}, or the Windows shell),
 * off the FX thread. The future fails with a message naming the file and the reason.
 */
public final class SystemOpener {
    private SystemOpener() {
    }

    public static CompletableFuture<Void> open(Path file) {
        return CompletableFuture.runAsync(() -> {
            if (!Files.exists(file)) {
                throw new IllegalStateException(file + " does not exist yet");
            }
            List<String> command = command(file);
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                dev.agentdeck.os.UserEnvironment.clean(pb.environment()); // the editor is the user's, not ours
                Process p = pb.start();
                // xdg-open returns at once after handing the file over; a non-zero exit means nothing opened it
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() != 0) {
                    throw new IllegalStateException(command.get(0) + " could not open " + file + " (exit " + p.exitValue() + ")");
                }
            } catch (IOException e) {
                throw new IllegalStateException(command.get(0) + " is not available to open " + file + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    static List<String> command(Path file) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("open", "-t", file.toString());
        }
        if (os.contains("win")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler", file.toString());
        }
        return List.of("xdg-open", file.toString());
    }
}
