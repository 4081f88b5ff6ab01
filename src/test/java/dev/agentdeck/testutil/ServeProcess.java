package dev.agentdeck.testutil;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code agentdeck serve} on a home as a real process of this build, its output in a file. */
public final class ServeProcess {
    private ServeProcess() {
    }

    /**
     * @param jvmOptions options for the serve's JVM (e.g. a class-load log), before the main class
     * @param args       the serve's own arguments, after {@code serve}
     */
    public static Process start(Path home, Path output, List<String> jvmOptions, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.agentdeck.Main", "--home", home.toString(), "serve"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** SIGTERM to each serve (agents keep running), then KILL to any still there after 20 s. */
    public static void stopAll(List<Process> serves) {
        serves.forEach(Process::destroy);
        serves.forEach(p -> {
            try {
                p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            p.destroyForcibly();
        });
    }
}
