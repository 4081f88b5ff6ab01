package dev.agentdeck.discovery;

import dev.agentdeck.core.AgentSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * Decides whether a running process is an agent by its command line: the agent's {@code match} as a
 * substring of the process's command line (as {@code pgrep -f} does), or, without one, the agent's own
 * command and arguments: the same program (by path or by name) with exactly the same arguments.
 */
public final class CommandLineMatcher {
    private CommandLineMatcher() {
    }

    public static boolean matches(AgentSpec spec, List<String> argv) {
        if (argv.isEmpty()) {
            return false;
        }
        if (spec.match() != null) {
            return String.join(" ", argv).contains(spec.match());
        }
        if (argv.size() != spec.args().size() + 1 || !argv.subList(1, argv.size()).equals(spec.args())) {
            return false;
        }
        String program = argv.get(0);
        String wanted = spec.command();
        return program.equals(wanted) || name(program).equals(name(wanted));
    }

    /** What the rule is, for messages: the match string, or the command line derived from command and args. */
    public static String describe(AgentSpec spec) {
        if (spec.match() != null) {
            return "a command line containing \"" + spec.match() + "\"";
        }
        return "the command line \"" + spec.command() + (spec.args().isEmpty() ? "" : " " + String.join(" ", spec.args())) + "\"";
    }

    private static String name(String program) {
        Path p = Path.of(program).getFileName();
        return p == null ? program : p.toString();
    }
}
