package dev.agentdeck.config;

import dev.agentdeck.core.Problem;

import java.util.List;

/** A configuration file that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ConfigException(String summary, List<Problem> problems) {
        super(summary + render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The problems as lines, e.g. {@code agents[2] "worker": cwd "/nope" does not exist}. */
    public List<String> problemLines() {
        return problems.stream().map(Problem::toString).toList();
    }

    private static String render(List<Problem> problems) {
        StringBuilder b = new StringBuilder();
        for (Problem p : problems) {
            b.append("\n  - ").append(p);
        }
        return b.toString();
    }
}
