package dev.agentdeck.transfer.exports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Secrets;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export needs to know about the machine: the config folder relative cwd and envFile are resolved
 * against (as the engine does), the home folder {@code ~} stands for, and the PATH commands are looked up on.
 */
public record ExportContext(Path configDir, Path home, String path) {

    /** The context of this machine, for agents whose config lives in {@code configDir}. */
    public static ExportContext of(Path configDir) {
        return new ExportContext(configDir.toAbsolutePath().normalize(), Path.of(System.getProperty("user.home")),
                System.getenv().getOrDefault("PATH", ""));
    }

    /** The agent's working folder, absolute: its cwd resolved against the config folder, or the config folder. */
    public Path cwd(AgentSpec a) {
        return a.cwd() == null ? configDir : configDir.resolve(expandHome(a.cwd())).normalize();
    }

    /** The agent's env file, absolute (resolved against its cwd, as the engine does), or null. */
    public Path envFile(AgentSpec a) {
        return a.envFile() == null ? null : cwd(a).resolve(expandHome(a.envFile())).normalize();
    }

    /**
     * The absolute executable: a command with a slash resolved against the cwd, a bare name looked up on PATH;
     * null when a bare name is not on PATH.
     */
    public Path executable(AgentSpec a) {
        String cmd = expandHome(a.command());
        if (cmd.contains("/")) {
            return cwd(a).resolve(cmd).normalize();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir).resolve(cmd);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Whether an env value must not be written in clear ({@link Secrets}' one rule: its name is secret or it holds
     * a URL with a password), or is already masked; such a variable is written as a reference to where its value
     * is kept (an EnvironmentFile, supervisord's environment, Compose's .env, a Kubernetes Secret).
     */
    public static boolean secret(String name, String value) {
        return Secrets.hides(name, value) || Secrets.isMasked(value);
    }

    /** The agent's env without the secret variables. */
    public static Map<String, String> plainEnv(AgentSpec a) {
        Map<String, String> out = new LinkedHashMap<>();
        a.env().forEach((k, v) -> {
            if (!secret(k, v)) {
                out.put(k, v == null ? "" : v);
            }
        });
        return out;
    }

    /** The names of the agent's secret variables, in order. */
    public static List<String> secretNames(AgentSpec a) {
        return a.env().entrySet().stream().filter(e -> secret(e.getKey(), e.getValue())).map(Map.Entry::getKey)
                .toList();
    }

    private String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return home + p.substring(1);
        }
        return p;
    }
}
