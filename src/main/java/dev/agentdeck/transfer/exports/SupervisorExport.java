package dev.agentdeck.transfer.exports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.transfer.ExportFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code supervisord-agentdeck.conf} with a {@code [program:<id>]} per agent ({@code numprocs} for a
 * definition with instances, {@code {instance}} being {@code %(process_num)d}) and a {@code [group:<tag>]} per tag.
 * Stops go to the whole process group ({@code stopasgroup}/{@code killasgroup}), as AgentDeck stops the whole
 * tree. A failed start is a run shorter than {@code startsecs} = resetAfterSec, retried {@code burst} times,
 * which is how AgentDeck counts; jobs (scheduled, or waited on to complete) and never-restarted agents get 0.
 */
public final class SupervisorExport {
    public static final String FILE = "supervisord-agentdeck.conf";
    private static final String MANAGER = "supervisor";
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final ExportContext ctx;
    private final ExportNotes notes = new ExportNotes();
    private final Map<String, AgentSpec> byId = new LinkedHashMap<>();
    private final Set<String> jobs = new HashSet<>();

    private SupervisorExport(List<AgentSpec> definitions, ExportContext ctx) {
        this.ctx = ctx;
        for (AgentSpec a : definitions) {
            byId.put(a.id(), a);
            if (a.schedule() != null) {
                jobs.add(a.id());
            }
            a.dependsOn().stream().filter(d -> d.condition() == DependencyCondition.COMPLETED)
                    .forEach(d -> jobs.add(d.id()));
        }
    }

    public static ExportFile write(List<AgentSpec> definitions, ExportContext ctx) {
        return new SupervisorExport(definitions, ctx).file();
    }

    private ExportFile file() {
        StringBuilder body = new StringBuilder();
        for (AgentSpec a : byId.values()) {
            notes.agent(a.id());
            body.append('\n');
            program(a, body);
        }
        groups(body);
        for (AgentSpec a : byId.values()) {
            notes.common(a, MANAGER);
            notes.backoff(a, MANAGER);
            otherNotes(a);
        }
        String header = notes.header(";", "Supervisor config", List.of(
                "Include it from supervisord.conf: [include] files = /path/to/" + FILE,
                "Secret variables are read from supervisord's own environment (%(ENV_NAME)s): export them there.",
                "Processes are stopped and killed as a group (stopasgroup, killasgroup), as AgentDeck stops the tree.",
                "startsecs is AgentDeck's resetAfterSec: a shorter run is a failed start, retried startretries (burst - 1: supervisord gives up after startretries + 1 failed starts)"
                        + " times; jobs and never-restarted agents have startsecs=0."),
                List.copyOf(byId.keySet()));
        return new ExportFile(FILE, header + body);
    }

    private void program(AgentSpec a, StringBuilder b) {
        b.append("[program:").append(a.id()).append("]\n");
        b.append("command=").append(command(a)).append('\n');
        if (a.instanced()) {
            b.append("process_name=%(program_name)s-%(process_num)d\n");
            b.append("numprocs=").append(a.instances()).append("\nnumprocs_start=1\n");
        }
        String dir = SupervisorText.raw(ctx.cwd(a).toString());
        if (dir == null) {
            notes.add(a.id(), "cwd", "the folder's name cannot be written in supervisord.conf");
        } else {
            b.append("directory=").append(dir).append('\n');
        }
        String env = environment(a);
        if (!env.isEmpty()) {
            b.append("environment=").append(env).append('\n');
        }
        b.append("autostart=").append(a.autostart()).append('\n');
        restart(a, b);
        b.append("stopsignal=").append(a.stop().signal().name()).append('\n');
        b.append("stopwaitsecs=").append(a.stop().timeoutSec()).append('\n');
        b.append("stopasgroup=true\nkillasgroup=true\n");
        b.append("priority=").append(500 + 10 * depth(a.id(), new HashSet<>())).append('\n');
    }

    private String command(AgentSpec a) {
        String cmd = a.command();
        if (cmd.contains("/") || cmd.startsWith("~")) {
            Path exe = ctx.executable(a);
            cmd = exe == null ? cmd : exe.toString();
        }
        List<String> words = new ArrayList<>();
        words.add(SupervisorText.word(cmd));
        a.args().forEach(arg -> words.add(instanced(a, SupervisorText.word(arg))));
        if (words.contains(null)) {
            notes.add(a.id(), "args", "a carriage return cannot be written in supervisord.conf; that word is left out");
            words.removeIf(w -> w == null);
        }
        return String.join(" ", words);
    }

    private String environment(AgentSpec a) {
        List<String> pairs = new ArrayList<>();
        boolean posixOnly = false;
        for (Map.Entry<String, String> e : ExportContext.plainEnv(a).entrySet()) {
            String value = SupervisorText.legacyValue(e.getValue());
            if (value == null) {
                value = SupervisorText.quoted(e.getValue());
                posixOnly = value != null;
            }
            if (value == null) {
                notes.add(a.id(), "env " + e.getKey(), "a carriage return cannot be written in supervisord.conf");
            } else {
                pairs.add(e.getKey() + "=" + instanced(a, value));
            }
        }
        if (posixOnly) {
            notes.add(a.id(), "env", "some values need supervisor 4.4 or later (POSIX quoting in environment=)");
        }
        for (String name : ExportContext.secretNames(a)) {
            pairs.add(name + "='%(ENV_" + name + ")s'");
        }
        if (!ExportContext.secretNames(a).isEmpty()) {
            notes.add(a.id(), "env " + String.join(", ", ExportContext.secretNames(a)), "secret, not written here:"
                    + " taken from supervisord's environment (%(ENV_NAME)s), which must define it");
        }
        return String.join(",", pairs);
    }

    /** Puts %(process_num)d for {instance} and, where it can be written, the port for {port}. */
    private String instanced(AgentSpec a, String text) {
        if (!a.instanced() || text == null) {
            return text;
        }
        String out = text.replace(Instances.INSTANCE, "%(process_num)d");
        if (out.contains(Instances.PORT)) {
            String prefix = InstancePorts.prefix(a.port(), a.instances());
            if (prefix != null) {
                return out.replace(Instances.PORT, prefix + "%(process_num)0" + InstancePorts.digits(a.instances()) + "d");
            }
            if (notes.of(a.id()).stream().noneMatch(n -> n.startsWith("{port}"))) {
                notes.add(a.id(), "{port}", "supervisor cannot compute port + process_num - 1; left as {port}");
            }
        }
        return out;
    }

    private void restart(AgentSpec a, StringBuilder b) {
        RestartPolicy p = a.restart().policy();
        b.append("autorestart=").append(switch (p) {
            case NEVER -> "false";
            case ON_FAILURE -> "unexpected";
            case ALWAYS -> "true";
        }).append('\n');
        b.append("exitcodes=0\n");
        boolean job = p == RestartPolicy.NEVER || jobs.contains(a.id());
        b.append("startsecs=").append(job ? 0 : a.restart().resetAfterSec()).append('\n');
        b.append("startretries=").append(p == RestartPolicy.NEVER ? 0 : Math.max(0, a.restart().burst() - 1)).append('\n');
        if (p != RestartPolicy.NEVER) {
            notes.add(a.id(), "restart.windowSec", "supervisor counts failed starts in a row, not within "
                    + a.restart().windowSec() + " s");
            notes.add(a.id(), "restart.delayMs", "supervisor waits 1 s more after each failed start, not "
                    + a.restart().delayMs() + " ms");
        }
    }

    private int depth(String id, Set<String> seen) {
        AgentSpec a = byId.get(id);
        if (a == null || !seen.add(id)) {
            return 0;
        }
        int d = 0;
        for (Dependency dep : a.dependsOn()) {
            d = Math.max(d, 1 + depth(dep.id(), seen));
        }
        seen.remove(id);
        return d;
    }

    private void groups(StringBuilder b) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        for (AgentSpec a : byId.values()) {
            for (String tag : a.tags()) {
                if (!GROUP_NAME.matcher(tag).matches() || byId.containsKey(tag)) {
                    notes.add(a.id(), "tags " + tag, "not a usable supervisor group name (or an agent's name)");
                } else if (groupOf.containsKey(a.id())) {
                    notes.add(a.id(), "tags " + tag, "supervisor would run a program once per group; it is in group "
                            + groupOf.get(a.id()) + " only");
                } else {
                    groupOf.put(a.id(), tag);
                    groups.computeIfAbsent(tag, k -> new ArrayList<>()).add(a.id());
                }
            }
        }
        groups.forEach((tag, ids) -> b.append("\n[group:").append(tag).append("]\nprograms=")
                .append(String.join(",", ids)).append('\n'));
    }

    private void otherNotes(AgentSpec a) {
        String id = a.id();
        if (a.healthCheck() != null) {
            notes.add(id, "healthCheck", "supervisor has no health checks");
        }
        for (Dependency d : a.dependsOn()) {
            notes.add(id, "dependsOn " + d.id(), "only start order (priority); supervisor does not wait for it to be "
                    + d.condition().wireName());
        }
        if (a.schedule() != null) {
            notes.add(id, "schedule", "supervisor has no timers: run \"supervisorctl start " + id + (a.instanced()
                    ? ":*" : "") + "\" from cron at \"" + a.schedule() + "\"");
        }
        if (a.envFile() != null) {
            notes.add(id, "envFile", "supervisor cannot read env files (" + ctx.envFile(a) + ")");
        }
        if (!a.resources().isEmpty()) {
            notes.add(id, "resources", "supervisor has no memory or CPU limits");
        }
        if (a.port() != null) {
            notes.add(id, "port", "supervisor does not check that port " + a.port() + " is free");
        }
        if (a.stop().signal().name().equals("KILL")) {
            notes.add(id, "stop.signal", "KILL at once; stopwaitsecs has no effect");
        }
    }
}
