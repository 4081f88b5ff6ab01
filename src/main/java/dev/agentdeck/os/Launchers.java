package dev.agentdeck.os;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The installed app's two launchers, side by side in its {@code bin} folder: {@code AgentDeck}, the panel's (a
 * large heap, both compilers), and {@code agentdeck}, the command line's and the headless engine's (a small JVM:
 * serial GC, C1 only, small stacks, its own class-data archive). Outside the app image there is neither.
 */
public final class Launchers {
    /** The panel's launcher's file name. */
    public static final String PANEL = "AgentDeck";
    /** The command line's launcher's file name (Linux; the others build only the panel's). */
    public static final String CLI = "agentdeck";

    private Launchers() {
    }

    /** The launcher this JVM was started by ({@code jpackage.app-path}), when it was. */
    public static Optional<Path> current() {
        String appPath = System.getProperty("jpackage.app-path");
        return appPath == null || appPath.isBlank() ? Optional.empty() : Optional.of(Path.of(appPath));
    }

    /** The launcher for headless work (serve, demo agents): the command line's when it is there, else this one. */
    public static Optional<Path> headless() {
        return current().map(p -> sibling(p, CLI).orElse(p));
    }

    /**
     * Runs the panel's launcher with these arguments, its input and output this process's, and returns its exit
     * code: the command line's launcher opens the panel this way.
     */
    public static int runPanel(Path panel, String[] args) throws java.io.IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(panel.toString());
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        UserEnvironment.clean(pb.environment());
        return pb.start().waitFor();
    }

    /** The panel's launcher, when this JVM runs from the command line's (the panel needs the other's options). */
    public static Optional<Path> panelInstead() {
        return current().filter(p -> p.getFileName().toString().equals(CLI)).flatMap(p -> sibling(p, PANEL));
    }

    private static Optional<Path> sibling(Path launcher, String name) {
        Path real;
        try {
            real = launcher.toRealPath(); // through a link on the PATH to the app's bin folder
        } catch (java.io.IOException e) {
            real = launcher;
        }
        Path other = real.resolveSibling(name);
        return Files.isExecutable(other) ? Optional.of(other) : Optional.empty();
    }
}
