package dev.agentdeck.os;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The environment the user started AgentDeck with, for the processes it starts. The installed app's launcher
 * (jpackage) adds {@code _JPACKAGE_LAUNCHER} and its own {@code lib/app} folder to {@code LD_LIBRARY_PATH} before
 * the JVM starts; an agent must not see either, and a launcher started with {@code _JPACKAGE_LAUNCHER} set takes
 * its arguments for the {@code java} command's ("Could not find or load main class demo-agent").
 */
public final class UserEnvironment {
    static final String LAUNCHER_MARK = "_JPACKAGE_LAUNCHER";
    static final String LIBRARY_PATH = "LD_LIBRARY_PATH";

    private UserEnvironment() {
    }

    /** This process's environment without what the app launcher added. */
    public static Map<String, String> current() {
        return of(System.getenv(), System.getProperty("jpackage.app-path"));
    }

    /** Applies {@link #of} to a process builder's environment (which starts as a copy of this process's). */
    public static void clean(Map<String, String> builderEnv) {
        Map<String, String> clean = current();
        builderEnv.keySet().retainAll(clean.keySet());
        builderEnv.putAll(clean);
    }

    /**
     * {@code env} without the launcher's additions; {@code appPath} is the launcher's path
     * ({@code jpackage.app-path}), null when not started by one, and then {@code env} is returned as it is.
     */
    public static Map<String, String> of(Map<String, String> env, String appPath) {
        if (appPath == null || appPath.isBlank() || !env.containsKey(LAUNCHER_MARK)) {
            return env;
        }
        Map<String, String> out = new HashMap<>(env);
        out.remove(LAUNCHER_MARK);
        Path launcher = Path.of(appPath).toAbsolutePath().normalize();
        Path root = launcher.getParent() == null ? null : launcher.getParent().getParent();
        String libPath = env.get(LIBRARY_PATH);
        if (libPath != null && root != null) {
            Path appLib = root.resolve("lib").resolve("app");
            String kept = Arrays.stream(libPath.split(File.pathSeparator, -1))
                    .filter(e -> !e.isEmpty() && !Path.of(e).toAbsolutePath().normalize().equals(appLib))
                    .collect(Collectors.joining(File.pathSeparator));
            if (kept.isEmpty()) {
                out.remove(LIBRARY_PATH);
            } else {
                out.put(LIBRARY_PATH, kept);
            }
        }
        return out;
    }
}
