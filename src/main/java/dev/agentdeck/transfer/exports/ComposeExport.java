package dev.agentdeck.transfer.exports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.transfer.ExportFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code compose.yaml} with one service per agent. Instances become {@code deploy.replicas}: every replica has
 * its own network namespace, so {@code {port}} is the definition's port in all of them and the host publishes a
 * range. {@code restart: always} becomes {@code unless-stopped}, since AgentDeck leaves an agent the user stopped
 * stopped. Every {@code $} is doubled against Compose's interpolation, except in the {@code ${NAME}} references
 * that stand for secret values.
 */
public final class ComposeExport {
    public static final String FILE = "compose.yaml";
    private static final String MANAGER = "Docker Compose";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]+");

    private final ExportContext ctx;
    private final ExportNotes notes = new ExportNotes();
    private final Map<String, AgentSpec> byId = new LinkedHashMap<>();

    private ComposeExport(List<AgentSpec> definitions, ExportContext ctx) {
        this.ctx = ctx;
        definitions.forEach(a -> byId.put(a.id(), a));
    }

    public static ExportFile write(List<AgentSpec> definitions, ExportContext ctx) {
        return new ComposeExport(definitions, ctx).file();
    }

    private ExportFile file() {
        ObjectNode root = YamlText.F.objectNode();
        ObjectNode services = root.putObject("services");
        for (AgentSpec a : byId.values()) {
            notes.agent(a.id());
            services.set(a.id(), service(a));
            notes.common(a, MANAGER);
            notes.backoff(a, MANAGER);
            otherNotes(a);
        }
        String header = notes.header("#", "Docker Compose file", List.of(
                "AgentDeck runs programs of this machine: set each service's image to one that contains them at the",
                "same paths (command and working_dir are this machine's). image: fails until AGENTDECK_IMAGE_<ID> is set.",
                "Secret variables are not in this file: put NAME=value lines in secrets/<agent id>.env next to it",
                "(each service's env_file names its own; the names are listed below).",
                "Published ports are bound to 127.0.0.1; in the container the program must listen on 0.0.0.0."),
                List.copyOf(byId.keySet()));
        return new ExportFile(FILE, header + "\n" + YamlText.dump(root));
    }

    private ObjectNode service(AgentSpec a) {
        ObjectNode s = YamlText.F.objectNode();
        String var = "AGENTDECK_IMAGE_" + a.id().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        s.put("image", "${" + var + ":?set the image of " + a.id() + "}");
        List<String> command = new ArrayList<>();
        command.add(executable(a));
        a.args().forEach(arg -> command.add(placeholders(a, arg)));
        s.set("command", YamlText.strings(command.stream().map(ComposeExport::literal).toList()));
        s.put("working_dir", literal(ctx.cwd(a).toString()));
        environment(a, s);
        if (a.port() != null) {
            String host = a.instanced() && a.instances() > 1
                    ? a.port() + "-" + (a.port() + a.instances() - 1) : a.port().toString();
            s.set("ports", YamlText.strings(List.of("127.0.0.1:" + host + ":" + a.port())));
        }
        s.put("restart", switch (a.restart().policy()) {
            case NEVER -> "no";
            case ON_FAILURE -> "on-failure";
            case ALWAYS -> "unless-stopped";
        });
        dependsOn(a, s);
        ObjectNode hc = a.healthCheck() == null ? null : healthcheck(a, a.healthCheck());
        if (hc != null) {
            s.set("healthcheck", hc);
        }
        deploy(a, s);
        s.put("stop_signal", a.stop().signal().sigName());
        s.put("stop_grace_period", a.stop().timeoutSec() + "s");
        if (!a.tags().isEmpty()) {
            s.putObject("labels").put("dev.agentdeck.tags", literal(String.join(",", a.tags())));
        }
        return s;
    }

    /** Plain values as they are; secret ones only in an env_file of their own ({@code secrets/<id>.env}), never here. */
    private void environment(AgentSpec a, ObjectNode s) {
        ObjectNode env = YamlText.F.objectNode();
        ExportContext.plainEnv(a).forEach((k, v) -> env.put(k, literal(placeholders(a, v))));
        if (!env.isEmpty()) {
            s.set("environment", env);
        }
        List<String> files = new ArrayList<>();
        Path envFile = ctx.envFile(a);
        if (envFile != null) {
            files.add(literal(envFile.toString()));
        }
        List<String> secrets = ExportContext.secretNames(a);
        if (!secrets.isEmpty()) {
            files.add(SECRETS_DIR + a.id() + ".env");
            notes.add(a.id(), "env " + String.join(", ", secrets), "secret, not written here: put "
                    + String.join("=..., ", secrets) + "=... in " + SECRETS_DIR + a.id() + ".env");
        }
        if (!files.isEmpty()) {
            s.set("env_file", YamlText.strings(files));
        }
    }

    /** Where the secret variables of each service go, relative to the Compose file. */
    static final String SECRETS_DIR = "secrets/";

    private String executable(AgentSpec a) {
        if (!a.command().contains("/") && !a.command().startsWith("~")) {
            return a.command();
        }
        Path exe = ctx.executable(a);
        return exe == null ? a.command() : exe.toString();
    }

    private void dependsOn(AgentSpec a, ObjectNode s) {
        if (a.dependsOn().isEmpty()) {
            return;
        }
        ObjectNode deps = s.putObject("depends_on");
        for (Dependency d : a.dependsOn()) {
            DependencyCondition c = d.condition();
            AgentSpec dep = byId.get(d.id());
            if (c == DependencyCondition.HEALTHY && (dep == null || dep.healthCheck() == null)) {
                notes.add(a.id(), "dependsOn " + d.id(), "healthy, but it has no health check here: waits for the start");
                c = DependencyCondition.STARTED;
            }
            deps.putObject(d.id()).put("condition", switch (c) {
                case STARTED -> "service_started";
                case HEALTHY -> "service_healthy";
                case COMPLETED -> "service_completed_successfully";
            });
        }
    }

    private ObjectNode healthcheck(AgentSpec a, HealthCheckSpec h) {
        ObjectNode hc = YamlText.F.objectNode();
        List<String> test = new ArrayList<>();
        test.add("CMD");
        if (h instanceof HealthCheckSpec.Http http) {
            test.addAll(List.of("curl", "-fsS", placeholders(a, http.endpoint())));
            notes.add(a.id(), "healthCheck", "runs curl in the container: the image needs curl");
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            Integer port = tcp.port() == null ? a.port() : tcp.port();
            if (!HOST.matcher(tcp.host()).matches() || port == null) {
                notes.add(a.id(), "healthCheck", "tcp check on " + tcp.host() + ":" + port + " cannot be written");
                return null;
            }
            test.addAll(List.of("bash", "-c", "exec 3<>/dev/tcp/" + tcp.host() + "/" + port));
            notes.add(a.id(), "healthCheck", "tcp connect through bash's /dev/tcp: the image needs bash");
        } else if (h instanceof HealthCheckSpec.Command cmd) {
            cmd.command().forEach(w -> test.add(placeholders(a, w)));
        }
        hc.set("test", YamlText.strings(test.stream().map(ComposeExport::literal).toList()));
        ProbeTiming t = h.timing();
        hc.put("interval", YamlText.duration(t.intervalMs()));
        hc.put("timeout", YamlText.duration(t.timeoutMs()));
        hc.put("retries", t.failureThreshold());
        hc.put("start_period", YamlText.duration(t.initialDelayMs()));
        if (t.successThreshold() != 1) {
            notes.add(a.id(), "healthCheck.successThreshold", "Compose turns healthy after one success, not "
                    + t.successThreshold());
        }
        if (h.restartOnUnhealthy()) {
            notes.add(a.id(), "healthCheck.restartOnUnhealthy", "Docker does not restart unhealthy containers"
                    + " (outside Swarm)");
        }
        return hc;
    }

    private void deploy(AgentSpec a, ObjectNode s) {
        boolean memory = a.resources().memoryMb() != null && a.resources().memoryAction() != LimitAction.WARN;
        if (!a.instanced() && !memory && a.resources().cpuPercent() == null) {
            return;
        }
        ObjectNode deploy = s.putObject("deploy");
        if (a.instanced()) {
            deploy.put("replicas", a.instances());
        }
        if (memory || a.resources().cpuPercent() != null) {
            ObjectNode limits = deploy.putObject("resources").putObject("limits");
            if (memory) {
                limits.put("memory", a.resources().memoryMb() + "m");
            }
            if (a.resources().cpuPercent() != null) {
                limits.put("cpus", YamlText.cores(a.resources().cpuPercent()));
            }
        }
    }

    /** {port} is the definition's port in every replica; {instance} has no per-replica value. */
    private String placeholders(AgentSpec a, String text) {
        if (!a.instanced() || text == null) {
            return text;
        }
        String out = text.replace(Instances.PORT, a.port() == null ? "" : a.port().toString());
        if (out.contains(Instances.INSTANCE) && notes.of(a.id()).stream().noneMatch(n -> n.startsWith("{instance}"))) {
            notes.add(a.id(), "{instance}", "replicas have no instance number in Compose; left as {instance}");
        }
        return out;
    }

    private static String literal(String s) {
        return s.replace("$", "$$");
    }

    private void otherNotes(AgentSpec a) {
        String id = a.id();
        if (!a.autostart()) {
            notes.add(id, "autostart", "false, but \"docker compose up\" starts every service; name the ones to start");
        }
        if (a.schedule() != null) {
            notes.add(id, "schedule", "Compose has no schedules: run \"docker compose start " + id + "\" from cron at \""
                    + a.schedule() + "\"");
        }
        if (a.restart().policy() != RestartPolicy.NEVER) {
            notes.add(id, "restart.burst", "Docker retries without a limit of " + a.restart().burst() + " in "
                    + a.restart().windowSec() + " s, after its own delays (not " + a.restart().delayMs() + " ms)");
        }
        if (a.resources().memoryAction() == LimitAction.STOP && a.resources().memoryMb() != null) {
            notes.add(id, "resources.memoryAction", "stop: the container is OOM-killed and restart: decides what"
                    + " follows");
        }
    }
}
