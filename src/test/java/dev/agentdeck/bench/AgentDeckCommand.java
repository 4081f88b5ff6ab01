package dev.agentdeck.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the peer benchmark runs AgentDeck, in one place: the app image's launcher when it has been built
 * ({@code target/native/image/AgentDeck/bin/agentdeck}), else the packaged jar on this JVM, with the
 * headless engine's JVM options for {@code serve} and a quick-start JIT for {@code ctl}.
 */
final class AgentDeckCommand {
    private static final Path LAUNCHER = Path.of("target/native/image/AgentDeck/bin/agentdeck");
    private static final Path JAR = Path.of("target/agentdeck.jar");

    private final Path launcher;

    private AgentDeckCommand(Path launcher) {
        this.launcher = launcher;
    }

    /** The launcher when it exists, else the jar; fails when neither was built. */
    static AgentDeckCommand find() {
        if (Files.isExecutable(LAUNCHER)) {
            return new AgentDeckCommand(LAUNCHER.toAbsolutePath());
        }
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn package first");
        }
        return new AgentDeckCommand(null);
    }

    String describe() {
        return launcher != null ? "the app image's launcher " + launcher
                : "the jar: serve as java " + String.join(" ", SupervisionBenchmark.SERVE_JVM) + " -jar " + JAR
                        + "; ctl as java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + JAR;
    }

    /** {@code agentdeck --home HOME serve --api-port 0}. */
    List<String> serve(Path home) {
        return command(SupervisionBenchmark.SERVE_JVM, "--home", home.toString(), "serve", "--api-port", "0");
    }

    /** {@code agentdeck --home HOME ctl ARGS...}. */
    List<String> ctl(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString(), "ctl"));
        all.addAll(List.of(args));
        return command(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), all.toArray(String[]::new));
    }

    /** {@code agentdeck version}. */
    List<String> version() {
        return command(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), "version");
    }

    private List<String> command(List<String> jvm, String... args) {
        List<String> cmd = new ArrayList<>();
        if (launcher != null) {
            cmd.add(launcher.toString());
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvm);
            cmd.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }
}
