package dev.agentdeck.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where one engine's files live. With {@code --home DIR} (or {@code AGENTDECK_HOME}) everything is flat under
 * DIR; otherwise config and data go to the platform's folders (XDG on Linux). An engine owns exactly one
 * workspace and keeps nothing static, so several can live in one process.
 *
 * @param configDir agents.json and settings.json
 * @param dataDir   history.db, logs/, run/, api.json, api.token and the engine's own log
 */
public record Workspace(Path configDir, Path dataDir) {
    public static final String HOME_ENV = "AGENTDECK_HOME";

    public Workspace {
        configDir = configDir.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** Everything flat under one folder, as {@code --home DIR}. */
    public static Workspace home(Path dir) {
        return new Workspace(dir, dir);
    }

    /**
     * Resolves the workspace: {@code homeArg} (from --home) wins, then {@code AGENTDECK_HOME}, then the
     * platform's folders.
     */
    public static Workspace resolve(String homeArg, Map<String, String> env) {
        if (homeArg != null && !homeArg.isBlank()) {
            return home(expandHome(homeArg));
        }
        String fromEnv = env.get(HOME_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return home(expandHome(fromEnv));
        }
        return platformDefault(env, System.getProperty("os.name", ""), Path.of(System.getProperty("user.home")));
    }

    /** The per-user folders of the platform: XDG on Linux and BSD, Application Support on macOS, APPDATA on Windows. */
    static Workspace platformDefault(Map<String, String> env, String osName, Path userHome) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            Path base = userHome.resolve("Library/Application Support/AgentDeck");
            return new Workspace(base, base);
        }
        if (os.contains("win")) {
            Path roaming = env.containsKey("APPDATA") ? Path.of(env.get("APPDATA")) : userHome.resolve("AppData/Roaming");
            Path local = env.containsKey("LOCALAPPDATA") ? Path.of(env.get("LOCALAPPDATA")) : userHome.resolve("AppData/Local");
            return new Workspace(roaming.resolve("AgentDeck"), local.resolve("AgentDeck"));
        }
        Path config = xdg(env, "XDG_CONFIG_HOME", userHome.resolve(".config"));
        Path data = xdg(env, "XDG_DATA_HOME", userHome.resolve(".local/share"));
        return new Workspace(config.resolve("agentdeck"), data.resolve("agentdeck"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String v = env.get(name);
        // The XDG spec says relative values are invalid and must be ignored.
        return v != null && !v.isBlank() && Path.of(v).isAbsolute() ? Path.of(v) : fallback;
    }

    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    public Path agentsFile() {
        return configDir.resolve("agents.json");
    }

    public Path settingsFile() {
        return configDir.resolve("settings.json");
    }

    public Path historyDb() {
        return dataDir.resolve("history.db");
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path runDir() {
        return dataDir.resolve("run");
    }

    public Path apiJson() {
        return dataDir.resolve("api.json");
    }

    public Path apiToken() {
        return dataDir.resolve("api.token");
    }

    /** Held (an OS file lock) by the one engine that owns this workspace; records that engine's PID. */
    public Path engineLock() {
        return dataDir.resolve("engine.lock");
    }

    /** AgentDeck's own log (not an agent's). */
    public Path engineLog() {
        return dataDir.resolve("agentdeck.log");
    }

    /** True when config and data share one folder (a --home workspace). */
    public boolean flat() {
        return configDir.equals(dataDir);
    }
}
