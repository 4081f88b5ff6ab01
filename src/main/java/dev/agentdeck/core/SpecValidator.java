package dev.agentdeck.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a list of agent specs for everything that can be judged without the file system: ids, ranges,
 * references, cycles. Reports every problem at once, each naming the agent and the field.
 * (Whether a command exists or a cwd is there is judged by the launcher's planner.)
 */
public final class SpecValidator {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    static final int MAX_TEXT = 4096;
    static final int MAX_ARG = 65_536;
    static final int MAX_ARGS = 1024;
    public static final int MAX_INSTANCES = 100;

    private SpecValidator() {
    }

    /**
     * Where an agent is in a list, as problems name it: {@code agents[2] "worker"}. The id is shown printable and
     * cut (a hostile one can hold control characters or megabytes).
     */
    public static String where(int index, String id) {
        return id == null || id.isBlank() ? "agents[" + index + "]" : "agents[" + index + "] \"" + printable(id) + "\"";
    }

    /** All problems of the list; empty when it is valid. */
    public static List<Problem> validate(List<AgentSpec> specs) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            AgentSpec s = specs.get(i);
            String where = where(i, s.id());
            Integer seen = firstIndex.putIfAbsent(s.id(), i);
            if (seen != null) {
                problems.add(new Problem(where, "id \"" + printable(s.id()) + "\" is already used by agents[" + seen + "]"));
            }
            validateOne(s, where, problems);
        }
        instanceIds(specs, firstIndex, problems);
        Set<String> ids = firstIndex.keySet();
        for (int i = 0; i < specs.size(); i++) {
            AgentSpec s = specs.get(i);
            Set<String> seenDeps = new HashSet<>();
            for (String d : s.dependencyIds()) {
                if (d.equals(s.id())) {
                    problems.add(new Problem(where(i, s.id()), "dependsOn names the agent itself"));
                } else if (!ids.contains(d)) {
                    problems.add(new Problem(where(i, s.id()), "dependsOn names \"" + printable(d) + "\", which is not an agent here"));
                } else if (!seenDeps.add(d)) {
                    problems.add(new Problem(where(i, s.id()), "dependsOn names \"" + printable(d) + "\" twice"));
                }
            }
        }
        new DependencyGraph(specs).findCycle().ifPresent(cycle -> {
            int index = indexOf(specs, cycle.get(0));
            problems.add(new Problem(where(index, cycle.get(0)),
                    "dependsOn forms a cycle: " + DependencyGraph.render(cycle)));
        });
        return problems;
    }

    /** An instance's id ({@code web-2}) must not be another entry's id, nor another definition's instance. */
    private static void instanceIds(List<AgentSpec> specs, Map<String, Integer> entryIndex, List<Problem> problems) {
        Map<String, Integer> instanceOwner = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            AgentSpec s = specs.get(i);
            if (!s.instanced() || s.instances() > MAX_INSTANCES) {
                continue;
            }
            for (String id : Instances.ids(s.id(), s.instances())) {
                Integer entry = entryIndex.get(id);
                Integer other = instanceOwner.putIfAbsent(id, i);
                if (entry != null) {
                    problems.add(new Problem(where(i, s.id()), "instance id \"" + id + "\" is already the id of agents["
                            + entry + "]"));
                } else if (other != null) {
                    problems.add(new Problem(where(i, s.id()), "instance id \"" + id + "\" is also an instance of agents["
                            + other + "]"));
                }
            }
        }
    }

    private static int indexOf(List<AgentSpec> specs, String id) {
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static void validateOne(AgentSpec s, String where, List<Problem> out) {
        if (!ID.matcher(s.id()).matches()) {
            out.add(new Problem(where, "id \"" + printable(s.id()) + "\" must match [a-z0-9][a-z0-9._-]{0,63}"
                    + " (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)"));
        }
        text(where, "name", s.name(), 200, out);
        text(where, "type", s.type(), 100, out);
        if (s.command() == null || s.command().isBlank()) {
            out.add(new Problem(where, "command is required"));
        } else {
            text(where, "command", s.command(), MAX_TEXT, out);
        }
        if (s.args().size() > MAX_ARGS) {
            out.add(new Problem(where, "args has " + s.args().size() + " entries; at most " + MAX_ARGS));
        }
        for (int i = 0; i < s.args().size(); i++) {
            String a = s.args().get(i);
            if (a.indexOf('\0') >= 0) {
                out.add(new Problem(where, "args[" + i + "] contains a NUL character"));
            } else if (a.length() > MAX_ARG) {
                out.add(new Problem(where, "args[" + i + "] is " + a.length() + " characters long; at most " + MAX_ARG));
            }
        }
        if (s.cwd() != null) {
            text(where, "cwd", s.cwd(), MAX_TEXT, out);
        }
        if (s.envFile() != null) {
            text(where, "envFile", s.envFile(), MAX_TEXT, out);
        }
        for (var e : s.env().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                out.add(new Problem(where, "env name \"" + printable(e.getKey()) + "\" must match [A-Za-z_][A-Za-z0-9_]*"));
            }
            if (e.getValue().indexOf('\0') >= 0) {
                out.add(new Problem(where, "env " + e.getKey() + " contains a NUL character"));
            } else if (e.getValue().length() > MAX_ARG) {
                out.add(new Problem(where, "env " + e.getKey() + " is longer than " + MAX_ARG + " characters"));
            }
        }
        if (s.port() != null && (s.port() < 1 || s.port() > 65535)) {
            out.add(new Problem(where, "port " + s.port() + " is outside 1..65535"));
        }
        if (s.match() != null) {
            text(where, "match", s.match(), MAX_TEXT, out);
            if (s.match().isBlank()) {
                out.add(new Problem(where, "match must not be blank"));
            }
        }
        if (s.readyLogLine() != null) {
            try {
                java.util.regex.Pattern.compile(s.readyLogLine());
            } catch (java.util.regex.PatternSyntaxException e) {
                out.add(new Problem(where, "readyLogLine is not a valid regular expression: " + e.getDescription()
                        + " near position " + e.getIndex()));
            }
        }
        validateRestart(s.restart(), where, out);
        if (s.stop().timeoutSec() < 0 || s.stop().timeoutSec() > 3600) {
            out.add(new Problem(where, "stop.timeoutSec " + s.stop().timeoutSec() + " is outside 0..3600"));
        }
        if (s.healthCheck() != null) {
            validateHealth(s, where, out);
        }
        ResourceLimits r = s.resources();
        if (r.memoryMb() != null && r.memoryMb() < 1) {
            out.add(new Problem(where, "resources.memoryMb must be at least 1"));
        }
        if (r.cpuPercent() != null && r.cpuPercent() < 1) {
            out.add(new Problem(where, "resources.cpuPercent must be at least 1"));
        }
        for (int i = 0; i < s.tags().size(); i++) {
            String t = s.tags().get(i);
            if (t.isBlank()) {
                out.add(new Problem(where, "tags[" + i + "] is blank"));
            } else {
                text(where, "tags[" + i + "]", t, 100, out);
            }
        }
        if (s.instances() < 0) {
            out.add(new Problem(where, "instances must be at least 1 (leave it out for a single agent)"));
        } else if (s.instances() > MAX_INSTANCES) {
            out.add(new Problem(where, "instances " + s.instances() + " is more than " + MAX_INSTANCES));
        }
        CronExpression.problem(s.schedule()).ifPresent(p -> out.add(new Problem(where, "schedule: " + p)));
        for (int i = 0; i < s.watch().size(); i++) {
            String w = s.watch().get(i);
            if (w.isBlank()) {
                out.add(new Problem(where, "watch[" + i + "] is blank"));
            } else {
                text(where, "watch[" + i + "]", w, 1000, out);
            }
        }
        if (s.daemon() != null) {
            validateDaemon(s, where, out);
        }
    }

    private static void validateDaemon(AgentSpec s, String where, List<Problem> out) {
        DaemonSpec d = s.daemon();
        if (d.timeoutSec() < 1 || d.timeoutSec() > 3600) {
            out.add(new Problem(where, "daemon.timeoutSec " + d.timeoutSec() + " is outside 1..3600"));
        }
        if (d.pidFile() != null) {
            text(where, "daemon.pidFile", d.pidFile(), 1000, out);
        }
        if (s.readyLogLine() != null) {
            out.add(new Problem(where, "readyLogLine cannot be used with daemon: a daemon is ready once its launcher "
                    + "has exited 0 and left it running"));
        }
        if (s.instances() > 0 && d.pidFile() != null && !d.pidFile().contains("{")) {
            out.add(new Problem(where, "daemon.pidFile \"" + printable(d.pidFile()) + "\" would be shared by all "
                    + s.instances() + " instances; give each its own (for example with {instance} in the path)"));
        }
    }

    private static void validateRestart(RestartSpec r, String where, List<Problem> out) {
        if (r.delayMs() < 0) {
            out.add(new Problem(where, "restart.delayMs must not be negative"));
        }
        if (r.maxDelayMs() < r.delayMs()) {
            out.add(new Problem(where, "restart.maxDelayMs " + r.maxDelayMs() + " is less than restart.delayMs " + r.delayMs()));
        }
        if (r.burst() < 1) {
            out.add(new Problem(where, "restart.burst must be at least 1"));
        }
        if (r.windowSec() < 1) {
            out.add(new Problem(where, "restart.windowSec must be at least 1"));
        }
        if (r.resetAfterSec() < 0) {
            out.add(new Problem(where, "restart.resetAfterSec must not be negative"));
        }
    }

    private static void validateHealth(AgentSpec s, String where, List<Problem> out) {
        HealthCheckSpec h = s.healthCheck();
        ProbeTiming t = h.timing();
        if (t.intervalMs() < 100) {
            out.add(new Problem(where, "healthCheck.intervalMs " + t.intervalMs() + " is below the minimum of 100"));
        }
        if (t.timeoutMs() < 1) {
            out.add(new Problem(where, "healthCheck.timeoutMs must be at least 1"));
        }
        if (t.failureThreshold() < 1) {
            out.add(new Problem(where, "healthCheck.failureThreshold must be at least 1"));
        }
        if (t.successThreshold() < 1) {
            out.add(new Problem(where, "healthCheck.successThreshold must be at least 1"));
        }
        if (t.initialDelayMs() < 0) {
            out.add(new Problem(where, "healthCheck.initialDelayMs must not be negative"));
        }
        if (h instanceof HealthCheckSpec.Http http) {
            try {
                // a definition's {instance} and {port} become numbers in each instance
                URI uri = URI.create(Instances.resolve(http.endpoint(), 1, "1"));
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    out.add(new Problem(where, "healthCheck.endpoint \"" + printable(http.endpoint())
                            + "\" must be an http:// or https:// URL with a host"));
                }
            } catch (IllegalArgumentException e) {
                out.add(new Problem(where, "healthCheck.endpoint \"" + printable(http.endpoint()) + "\" is not a URL: "
                        + e.getMessage()));
            }
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            Integer port = tcp.port() != null ? tcp.port() : s.port();
            if (port == null) {
                out.add(new Problem(where, "healthCheck.port is required when the agent has no port"));
            } else if (port < 1 || port > 65535) {
                out.add(new Problem(where, "healthCheck.port " + port + " is outside 1..65535"));
            }
            if (tcp.host().isBlank()) {
                out.add(new Problem(where, "healthCheck.host must not be blank"));
            }
        } else if (h instanceof HealthCheckSpec.Command cmd) {
            if (cmd.command().isEmpty() || cmd.command().get(0).isBlank()) {
                out.add(new Problem(where, "healthCheck.command must name a program, e.g. [\"curl\", \"-fsS\", \"http://127.0.0.1:8001/health\"]"));
            }
        }
    }

    private static void text(String where, String field, String value, int max, List<Problem> out) {
        if (value.length() > max) {
            out.add(new Problem(where, field + " is " + value.length() + " characters long; at most " + max));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.add(new Problem(where, field + " contains a control character (code " + (int) c + ") at position " + i));
                return;
            }
        }
    }

    /** Shows a value in a message without letting control characters or huge strings through. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (b.length() >= 80 && s.length() > 80) {
            b.append("...");
        }
        return b.toString();
    }
}
