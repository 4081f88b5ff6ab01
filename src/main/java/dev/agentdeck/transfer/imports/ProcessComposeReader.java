package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a process-compose YAML file. Carried: command (a shell string, run as {@code sh -c} or the file's
 * {@code shell}) or entrypoint, working_dir, environment (the top-level one too), depends_on with its conditions,
 * liveness probe (restarting) or readiness probe as the health check, availability, replicas as instances,
 * disabled (no autostart), namespace as a tag, shutdown signal and timeout, ready_log_line.
 */
public final class ProcessComposeReader {
    private static final Map<String, String> NOT_CARRIED = Map.of(
            "log_location", "AgentDeck keeps each agent's output in its own log files",
            "log_configuration", "AgentDeck keeps each agent's output in its own log files",
            "is_daemon", "AgentDeck supervises a process that stays in the foreground; a command that forks into"
                    + " the background looks exited to it",
            "is_tty", "AgentDeck runs agents without a terminal",
            "is_foreground", "AgentDeck runs agents without a terminal",
            "is_elevated", "AgentDeck runs agents as the user it runs as",
            "launch_timeout_seconds", "AgentDeck has no launch timeout",
            "disable_ansi_colors", "AgentDeck shows the output as the agent writes it",
            "description", "AgentDeck has no description field",
            "vars", "process-compose's template variables are not expanded");
    private static final Set<String> CARRIED = Set.of("command", "entrypoint", "working_dir", "environment",
            "depends_on", "liveness_probe", "readiness_probe", "availability", "replicas", "disabled", "namespace",
            "shutdown", "ready_log_line", "name");
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.*}}");

    private final Collector out;
    private final LocatedTree tree;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, String> sharedEnv = new LinkedHashMap<>();
    private ComposeParts parts;

    private ProcessComposeReader(Collector out, LocatedTree tree) {
        this.out = out;
        this.tree = tree;
    }

    public static ImportResult read(String text, String source) {
        Collector out = new Collector(ImportFormat.PROCESS_COMPOSE, source);
        try {
            new ProcessComposeReader(out, LocatedTree.yaml(text)).project();
        } catch (LocatedTree.SyntaxError e) {
            out.problem(e.line, null, "not valid YAML: " + e.getMessage());
        }
        return out.result();
    }

    private void project() {
        JsonNode root = tree.root();
        if (!root.isObject() || !root.path("processes").isObject()) {
            JsonNode p = root.isObject() ? root.get("processes") : null;
            out.problem(tree.line(p == null ? "" : "processes"), p == null ? null : "processes",
                    p == null ? "there is no processes: map" : "processes must be a map of names to processes, got "
                            + NodeFields.kind(p));
            return;
        }
        NodeFields top = new NodeFields(tree, root, "", "the file", out, k -> k);
        parts = new ComposeParts(out, shell(top));
        sharedEnv.putAll(environment(top));
        topNotes(top);
        JsonNode processes = root.get("processes");
        for (Iterator<String> it = processes.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            String id = out.id(name, tree.line(LocatedTree.field("processes", name)), "processes." + name);
            if (id != null) {
                ids.put(name, id);
            }
        }
        ids.forEach((name, id) -> process(name, id, processes.get(name)));
    }

    private List<String> shell(NodeFields top) {
        NodeFields s = top.object("shell", k -> k);
        if (s == null) {
            return List.of("sh", "-c");
        }
        if (s.has("elevated_shell_command")) {
            out.fileNote("shell.elevated_shell_command", "AgentDeck runs agents as the user it runs as");
        }
        return List.of(ComposeParts.orElse(s.text("shell_command"), "sh"), ComposeParts.orElse(s.text("shell_argument"), "-c"));
    }

    private void topNotes(NodeFields top) {
        for (String key : top.names()) {
            if (key.startsWith("log_")) {
                out.fileNote(key, "AgentDeck keeps each agent's output in its own log files");
            } else if (!Set.of("version", "processes", "environment", "shell").contains(key)) {
                out.fileNote(key, "a setting of process-compose itself; ignored");
            }
        }
    }

    private void process(String name, String id, JsonNode node) {
        String path = LocatedTree.field("processes", name);
        if (!node.isObject()) {
            out.problem(tree.line(path), path, "a process must be a map of settings, got " + NodeFields.kind(node));
            return;
        }
        NodeFields f = new NodeFields(tree, node, path, "process \"" + name + "\"", out, k -> k);
        AgentSpec.Builder b = AgentSpec.builder(id).name(name.equals(id) ? null : name);
        command(f, b, id);
        Map<String, String> env = new LinkedHashMap<>(sharedEnv);
        env.putAll(environment(f));
        String cwd = f.text("working_dir");
        if ((cwd != null && cwd.contains("$")) || env.values().stream().anyMatch(v -> v.contains("$"))) {
            out.note(id, "environment", "process-compose expands $VARIABLES when it loads the file; AgentDeck"
                    + " passes working_dir and environment values as written");
        }
        Long replicas = f.number("replicas", 1);
        Boolean disabled = f.bool("disabled");
        String namespace = f.text("namespace");
        String readyLine = f.text("ready_log_line");
        b.cwd(cwd).env(env).autostart(disabled == null || !disabled)
                .instances(replicas == null || replicas <= 1 ? 0 : (int) Math.min(replicas, 100_000))
                .tags(namespace == null || namespace.isBlank() || namespace.equals("default") ? List.of() : List.of(namespace))
                .readyLogLine(readyLine == null ? null : literal(readyLine))
                .healthCheck(parts.health(f, id)).restart(parts.restart(f, id)).stop(parts.stop(f, id))
                .dependsOn(dependencies(f, id));
        notes(f, id);
        if (!f.failed) {
            out.add(b.build(), tree.line(path), "processes." + name);
        }
    }

    /** A regular expression matching {@code text} anywhere, as process-compose looks for the ready line. */
    static String literal(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : text.toCharArray()) {
            b.append("\\.[]{}()*+?^$|".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
        }
        return b.toString();
    }

    private void command(NodeFields f, AgentSpec.Builder b, String id) {
        String command = f.text("command");
        List<String> entrypoint = f.texts("entrypoint");
        if (command != null && !command.isBlank()) {
            List<String> line = parts.shellCommand(command);
            b.command(line.get(0)).args(line.subList(1, line.size()));
            if (TEMPLATE.matcher(command).find()) {
                out.note(id, "command", "process-compose's {{...}} template variables are not expanded");
            }
            if (command.contains("PC_REPLICA_NUM")) {
                out.note(id, "command", "AgentDeck sets no PC_REPLICA_NUM (0-based); use {instance} (from 1) in"
                        + " args or env");
            }
        } else if (entrypoint != null && !entrypoint.isEmpty()) {
            b.command(entrypoint.get(0)).args(entrypoint.subList(1, entrypoint.size()));
        } else if (!f.failed) {
            f.fail("command", "is required (or entrypoint)");
        }
    }

    /** environment as a list of {@code K=V} or a map. */
    private Map<String, String> environment(NodeFields f) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode v = f.raw("environment");
        if (v != null && v.isObject()) {
            v.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
            return env;
        }
        List<String> list = f.texts("environment");
        for (int i = 0; list != null && i < list.size(); i++) {
            String entry = list.get(i);
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                String at = LocatedTree.element(f.pathOf("environment"), i);
                out.problem(tree.line(at), at, "\"" + SpecValidator.printable(entry) + "\" is not NAME=value; "
                        + (f.path.isEmpty() ? "it" : f.label) + " is left out");
                f.failed = true;
            } else {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    private List<Dependency> dependencies(NodeFields f, String id) {
        NodeFields deps = f.object("depends_on", k -> k);
        List<Dependency> out = new ArrayList<>();
        for (String name : deps == null ? List.<String>of() : deps.names()) {
            String target = ids.get(name);
            if (target == null) {
                this.out.problem(deps.line(name), deps.pathOf(name), "names \"" + SpecValidator.printable(name)
                        + "\", which is not a process of this file; that dependency is dropped");
                continue;
            }
            NodeFields d = deps.object(name, k -> k);
            String c = d == null ? null : d.text("condition");
            DependencyCondition condition = condition(d, c, id, name);
            if (condition != null) {
                out.add(new Dependency(target, condition));
            }
        }
        return out;
    }

    private DependencyCondition condition(NodeFields d, String c, String id, String name) {
        if (c == null || c.equals("process_started")) {
            return DependencyCondition.STARTED;
        }
        switch (c) {
            case "process_healthy":
                return DependencyCondition.HEALTHY;
            case "process_completed_successfully":
                return DependencyCondition.COMPLETED;
            case "process_completed":
                out.note(id, d.fieldOf("condition"), "AgentDeck's completed waits for \"" + name + "\" to exit with"
                        + " code 0; process_completed accepted any exit");
                return DependencyCondition.COMPLETED;
            case "process_log_ready":
                // started means running and ready, and ready waits for the readyLogLine made of ready_log_line
                if (!tree.root().path("processes").path(name).has("ready_log_line")) {
                    out.note(id, d.fieldOf("condition"), "\"" + name + "\" has no ready_log_line, so this waits for"
                            + " it to start only");
                }
                return DependencyCondition.STARTED;
            default:
                d.fail("condition", "\"" + SpecValidator.printable(c) + "\" must be process_started, process_healthy,"
                        + " process_completed_successfully, process_completed or process_log_ready");
                return null;
        }
    }

    private void notes(NodeFields f, String id) {
        for (String key : f.names()) {
            String reason = NOT_CARRIED.get(key);
            if (reason == null && !CARRIED.contains(key)) {
                reason = "not a process-compose setting AgentDeck knows; left out";
            }
            if (reason != null && f.raw(key) != null && !(f.raw(key).isBoolean() && !f.raw(key).booleanValue())) {
                out.note(id, key, reason);
            }
        }
    }
}
