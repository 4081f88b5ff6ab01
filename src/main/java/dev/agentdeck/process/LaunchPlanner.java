package dev.agentdeck.process;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.Problem;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves an agent spec against the machine: the working folder exists, the env file reads, the command is
 * found on PATH (or at its path) and is executable. The same checks give the editor's validation messages
 * and the start's refusal, so they always agree.
 */
final class LaunchPlanner {
    static final String AGENT_ID_ENV = "AGENTDECK_AGENT_ID";
    static final String DATA_DIR_ENV = "AGENTDECK_DATA_DIR";
    private final Workspace workspace;
    private final Map<String, String> baseEnv;

    LaunchPlanner(Workspace workspace, Map<String, String> baseEnv) {
        this.workspace = workspace;
        this.baseEnv = Map.copyOf(baseEnv);
    }

    /** The plan, or an {@link EngineException} (INVALID) naming every problem. */
    LaunchPlan plan(AgentSpec spec) {
        List<Problem> problems = new ArrayList<>();
        LaunchPlan plan = resolve(spec, "agent \"" + spec.id() + "\"", problems);
        if (plan == null) {
            throw new EngineException(ErrorCode.INVALID, "cannot start agent \"" + spec.id() + "\": "
                    + problems.get(0).what(), problems.stream().map(Problem::toString).toList());
        }
        return plan;
    }

    /** The problems that would stop {@code spec} from starting, each placed at {@code where}. */
    List<Problem> check(AgentSpec spec, String where) {
        List<Problem> problems = new ArrayList<>();
        resolve(spec, where, problems);
        return problems;
    }

    private LaunchPlan resolve(AgentSpec spec, String where, List<Problem> problems) {
        int before = problems.size();
        Path cwd = resolveCwd(spec, where, problems);
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        if (spec.envFile() != null && cwd != null) {
            Path file = cwd.resolve(expandHome(spec.envFile())).normalize();
            if (!Files.isRegularFile(file)) {
                problems.add(new Problem(where, "envFile \"" + spec.envFile() + "\" (" + file + ") does not exist"));
            } else {
                try {
                    env.putAll(EnvFile.read(file));
                } catch (IOException e) {
                    problems.add(new Problem(where, "envFile \"" + spec.envFile() + "\": " + e.getMessage()));
                }
            }
        }
        env.putAll(spec.env());
        env.put(AGENT_ID_ENV, spec.id());
        env.put(DATA_DIR_ENV, workspace.dataDir().toString());
        Path executable = cwd == null ? null : resolveCommand(spec.command(), cwd, env.get("PATH"), where, problems);
        if (problems.size() > before || executable == null) {
            return null;
        }
        return new LaunchPlan(spec.id(), executable, spec.args(), cwd, env);
    }

    private Path resolveCwd(AgentSpec spec, String where, List<Problem> problems) {
        Path cwd = spec.cwd() == null ? workspace.configDir()
                : workspace.configDir().resolve(expandHome(spec.cwd())).normalize();
        if (!Files.exists(cwd)) {
            problems.add(new Problem(where, "cwd \"" + (spec.cwd() == null ? cwd : spec.cwd()) + "\" does not exist"
                    + (spec.cwd() != null && !Path.of(expandHome(spec.cwd())).isAbsolute() ? " (resolved to " + cwd + ")" : "")));
            return null;
        }
        if (!Files.isDirectory(cwd)) {
            problems.add(new Problem(where, "cwd \"" + spec.cwd() + "\" is not a folder"));
            return null;
        }
        return cwd;
    }

    private static Path resolveCommand(String command, Path cwd, String pathVar, String where, List<Problem> problems) {
        String cmd = expandHome(command);
        if (cmd.contains("/") || cmd.contains(File.separator)) {
            Path p = cwd.resolve(cmd).normalize();
            if (!Files.exists(p)) {
                problems.add(new Problem(where, "command \"" + command + "\" does not exist"
                        + (Path.of(cmd).isAbsolute() ? "" : " (resolved to " + p + ")")));
                return null;
            }
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                problems.add(new Problem(where, "command \"" + command + "\" is not an executable file"
                        + (Files.isRegularFile(p) ? " (chmod +x " + p + "?)" : "")));
                return null;
            }
            return p;
        }
        String path = pathVar == null ? "" : pathVar;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(cmd);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        problems.add(new Problem(where, "command \"" + command + "\" was not found on PATH (" + path + ")"));
        return null;
    }

    static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
