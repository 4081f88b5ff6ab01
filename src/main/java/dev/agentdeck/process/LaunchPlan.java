package dev.agentdeck.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one agent, resolved and checked: the executable's absolute path, the
 * arguments exactly as configured (never through a shell), the working folder and the full environment.
 */
record LaunchPlan(String agentId, Path executable, List<String> args, Path cwd, Map<String, String> env) {
    LaunchPlan {
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }

    /** The argv the agent will see: executable then arguments. */
    List<String> argv() {
        List<String> argv = new java.util.ArrayList<>(args.size() + 1);
        argv.add(executable.toString());
        argv.addAll(args);
        return argv;
    }

    String commandLine() {
        return String.join(" ", argv());
    }
}
