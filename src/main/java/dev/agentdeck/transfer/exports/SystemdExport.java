package dev.agentdeck.transfer.exports;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.transfer.ExportFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * systemd user units: {@code agentdeck-<id>.service} per agent, a template {@code agentdeck-<id>@.service} for a
 * definition with instances ({@code %i} is the instance number), and {@code agentdeck-<id>.timer} for a schedule.
 * A dependency is {@code Requires=} plus {@code After=}; a dependency waited on until it completed makes that
 * unit {@code Type=oneshot}, so {@code After=} waits for its exit and a failure fails the dependent.
 */
public final class SystemdExport {
    /** Where the units point for secret variables, per agent (%h is the user's home). */
    public static final String SECRETS_DIR = "%h/.config/agentdeck/secrets/";
    private static final String MANAGER = "systemd";

    private final ExportContext ctx;
    private final Map<String, AgentSpec> byId = new HashMap<>();
    private final Set<String> awaitedToComplete = new HashSet<>();

    private SystemdExport(List<AgentSpec> definitions, ExportContext ctx) {
        this.ctx = ctx;
        for (AgentSpec a : definitions) {
            byId.put(a.id(), a);
            a.dependsOn().stream().filter(d -> d.condition() == DependencyCondition.COMPLETED)
                    .forEach(d -> awaitedToComplete.add(d.id()));
        }
    }

    public static List<ExportFile> write(List<AgentSpec> definitions, ExportContext ctx) {
        SystemdExport export = new SystemdExport(definitions, ctx);
        List<ExportFile> out = new ArrayList<>();
        for (AgentSpec a : definitions) {
            out.addAll(export.agent(a));
        }
        return out;
    }

    /** The unit name the agent's service has: a template for a definition with instances. */
    static String unit(AgentSpec a, String suffix) {
        return "agentdeck-" + a.id() + (a.instanced() ? "@" : "") + suffix;
    }

    private List<ExportFile> agent(AgentSpec a) {
        ExportNotes notes = new ExportNotes();
        notes.agent(a.id());
        StringBuilder body = new StringBuilder();
        unitSection(a, body, notes);
        serviceSection(a, body, notes);
        if (a.autostart()) {
            body.append("\n[Install]\nWantedBy=default.target\n");
        }
        String timer = a.schedule() == null ? null : timer(a, notes);
        notes.common(a, MANAGER);
        notes.backoff(a, MANAGER);
        otherNotes(a, notes);
        String header = notes.header("#", "systemd user unit for agent \"" + a.id() + "\"", howTo(a, timer != null),
                List.of(a.id()));
        List<ExportFile> files = new ArrayList<>();
        files.add(new ExportFile(unit(a, ".service"), header + "\n" + body));
        if (timer != null) {
            files.add(new ExportFile(unit(a, ".timer"), header + "\n" + timer));
        }
        return files;
    }

    private void unitSection(AgentSpec a, StringBuilder b, ExportNotes notes) {
        b.append("[Unit]\nDescription=").append(SystemdText.plain(a.name())).append(a.instanced() ? " #%i" : "")
                .append('\n');
        List<String> deps = new ArrayList<>();
        for (Dependency d : a.dependsOn()) {
            deps.addAll(dependencyUnits(d.id()));
            if (d.condition() == DependencyCondition.HEALTHY) {
                notes.add(a.id(), "dependsOn " + d.id(), "systemd has no health checks: waits for its start, not"
                        + " for it to be healthy");
            }
        }
        if (!deps.isEmpty()) {
            notes.add(a.id(), "dependsOn", "Requires= also stops this unit when a dependency stops or fails");
            b.append("Requires=").append(String.join(" ", deps)).append('\n');
            b.append("After=").append(String.join(" ", deps)).append('\n');
        }
        RestartSpec r = a.restart();
        b.append("StartLimitIntervalSec=").append(r.windowSec()).append("s\n");
        b.append("StartLimitBurst=").append(r.burst()).append('\n');
    }

    private List<String> dependencyUnits(String id) {
        AgentSpec dep = byId.get(id);
        if (dep == null || !dep.instanced()) {
            return List.of("agentdeck-" + id + ".service");
        }
        return Instances.ids(id, dep.instances()).stream()
                .map(i -> "agentdeck-" + id + "@" + i.substring(id.length() + 1) + ".service").toList();
    }

    private void serviceSection(AgentSpec a, StringBuilder b, ExportNotes notes) {
        boolean oneshot = awaitedToComplete.contains(a.id());
        boolean forking = a.daemon() != null && !oneshot;
        b.append("\n[Service]\nType=").append(oneshot ? "oneshot" : forking ? "forking" : "simple").append('\n');
        if (forking) {
            b.append("TimeoutStartSec=").append(a.daemon().timeoutSec()).append("s\n");
            if (a.daemon().pidFile() != null) {
                b.append("PIDFile=").append(SystemdText.plain(ctx.cwd(a).resolve(a.daemon().pidFile()).normalize().toString()))
                        .append('\n');
            }
        } else if (a.daemon() != null) {
            notes.add(a.id(), "daemon", "a dependent waits for this agent to complete, so it is a oneshot, not forking");
        }
        if (oneshot) {
            // Stays active after a good run, so a dependent's later restart does not run it again.
            b.append("RemainAfterExit=yes\nTimeoutStartSec=infinity\n");
        }
        b.append("ExecStart=").append(execLine(a, notes)).append('\n');
        b.append("WorkingDirectory=").append(SystemdText.plain(ctx.cwd(a).toString())).append('\n');
        environment(a, b, notes);
        restart(a, oneshot, b, notes);
        b.append("TimeoutStopSec=").append(a.stop().timeoutSec()).append("s\n");
        b.append("KillSignal=").append(a.stop().signal().sigName()).append('\n');
        b.append("KillMode=control-group\n");
        if (a.resources().memoryMb() != null && a.resources().memoryAction() != LimitAction.WARN) {
            b.append("MemoryMax=").append(a.resources().memoryMb()).append("M\n");
            if (a.resources().memoryAction() == LimitAction.STOP) {
                notes.add(a.id(), "resources.memoryAction", "systemd kills at MemoryMax and Restart= decides what"
                        + " follows; AgentDeck would stop it for good");
            }
        }
        if (a.resources().cpuPercent() != null) {
            b.append("CPUQuota=").append(a.resources().cpuPercent()).append("%\n");
        }
    }

    /** Plain variables as Environment=; secret ones only named, in an env file the user fills. */
    private void environment(AgentSpec a, StringBuilder b, ExportNotes notes) {
        ExportContext.plainEnv(a).forEach((k, v) ->
                b.append("Environment=").append(instanced(a, SystemdText.assignment(k, v), notes)).append('\n'));
        Path envFile = ctx.envFile(a);
        if (envFile != null) {
            b.append("EnvironmentFile=").append(SystemdText.plain(envFile.toString())).append('\n');
            notes.add(a.id(), "envFile", "systemd reads KEY=value lines; an \"export \" prefix is not understood");
        }
        List<String> secrets = ExportContext.secretNames(a);
        if (!secrets.isEmpty()) {
            b.append("EnvironmentFile=").append(SECRETS_DIR).append(SystemdText.plain(a.id())).append(".env\n");
            notes.add(a.id(), "env " + String.join(", ", secrets), "secret, not written here: put "
                    + String.join("=..., ", secrets) + "=... in ~/.config/agentdeck/secrets/" + a.id() + ".env");
        }
    }

    private String execLine(AgentSpec a, ExportNotes notes) {
        Path exe = ctx.executable(a);
        StringBuilder line = new StringBuilder();
        if (exe == null) {
            line.append("/usr/bin/env ").append(SystemdText.execWord(a.command()));
            notes.add(a.id(), "command", "\"" + a.command() + "\" was not on PATH at export time; run through"
                    + " /usr/bin/env (the user manager's PATH)");
        } else {
            line.append(SystemdText.execWord(exe.toString()));
        }
        for (String arg : a.args()) {
            line.append(' ').append(instanced(a, SystemdText.execWord(arg), notes));
        }
        return line.toString();
    }

    /** Puts %i for {instance} and, where it can be written, the port for {port}. */
    private static String instanced(AgentSpec a, String text, ExportNotes notes) {
        if (!a.instanced()) {
            return text;
        }
        String out = text.replace(Instances.INSTANCE, "%i");
        if (out.contains(Instances.PORT)) {
            String prefix = InstancePorts.digits(a.instances()) == 1 ? InstancePorts.prefix(a.port(), a.instances())
                    : null;
            if (prefix != null) {
                return out.replace(Instances.PORT, prefix + "%i");
            }
            if (!notes.of(a.id()).stream().anyMatch(n -> n.startsWith("{port}"))) {
                notes.add(a.id(), "{port}", "systemd cannot compute port + instance - 1; left as {port}, replace it"
                        + " (e.g. with a drop-in per instance)");
            }
        }
        return out;
    }

    private static void restart(AgentSpec a, boolean oneshot, StringBuilder b, ExportNotes notes) {
        RestartPolicy p = a.restart().policy();
        if (oneshot && p == RestartPolicy.ALWAYS) {
            p = RestartPolicy.ON_FAILURE;
            notes.add(a.id(), "restart.policy", "always: a dependent waits for it to complete, so it is a oneshot"
                    + " unit, which systemd restarts on failure only");
        }
        b.append("Restart=").append(switch (p) {
            case NEVER -> "no";
            case ON_FAILURE -> "on-failure";
            case ALWAYS -> "always";
        }).append('\n');
        b.append("RestartSec=").append(SystemdText.span(a.restart().delayMs())).append('\n');
        if (p != RestartPolicy.NEVER) {
            notes.add(a.id(), "restart.burst", "StartLimitBurst counts every start in the interval, AgentDeck only"
                    + " runs shorter than resetAfterSec");
        }
    }

    private String timer(AgentSpec a, ExportNotes notes) {
        List<String> calendar;
        try {
            calendar = CronCalendar.onCalendar(a.schedule());
        } catch (IllegalArgumentException e) {
            notes.add(a.id(), "schedule", e.getMessage() + "; no timer written, start it from cron or write"
                    + " OnCalendar= by hand");
            return null;
        }
        StringBuilder b = new StringBuilder("[Unit]\nDescription=Schedule of ").append(SystemdText.plain(a.name()))
                .append(a.instanced() ? " #%i" : "").append(" (cron: ").append(SystemdText.plain(a.schedule()))
                .append(")\n\n[Timer]\n");
        calendar.forEach(c -> b.append("OnCalendar=").append(c).append('\n'));
        return b.append("\n[Install]\nWantedBy=timers.target\n").toString();
    }

    private static void otherNotes(AgentSpec a, ExportNotes notes) {
        HealthCheckSpec h = a.healthCheck();
        if (h != null) {
            notes.add(a.id(), "healthCheck", "systemd has no " + h.typeName() + " health checks"
                    + (h.restartOnUnhealthy() ? " and cannot restart the agent when unhealthy" : ""));
        }
        if (a.port() != null) {
            notes.add(a.id(), "port", "systemd does not check that port " + a.port() + " is free before the start");
        }
        if (!a.tags().isEmpty()) {
            notes.add(a.id(), "tags", "systemd has no groups (" + String.join(", ", a.tags()) + ")");
        }
    }

    private static List<String> howTo(AgentSpec a, boolean timer) {
        String unit = a.instanced() ? "agentdeck-" + a.id() + "@{1.." + a.instances() + "}" : "agentdeck-" + a.id();
        List<String> lines = new ArrayList<>();
        lines.add("Copy to ~/.config/systemd/user/, then: systemctl --user daemon-reload");
        if (a.instanced()) {
            lines.add("A template: instance N is agentdeck-" + a.id() + "@N; the " + a.instances() + " instances: "
                    + "systemctl --user " + (a.autostart() ? "enable --now " : "start ") + unit + ".service");
        } else if (a.autostart()) {
            lines.add("Start at login: systemctl --user enable --now " + unit + ".service");
        }
        if (timer) {
            lines.add("Schedule: systemctl --user enable --now " + unit + ".timer");
        }
        return lines;
    }
}
