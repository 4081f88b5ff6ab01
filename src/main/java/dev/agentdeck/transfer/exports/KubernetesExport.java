package dev.agentdeck.transfer.exports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.Instances;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.Signal;
import dev.agentdeck.transfer.ExportFile;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code kubernetes.yaml}: a Deployment per agent ({@code replicas} = instances, 1 for a plain agent), or a
 * CronJob for a scheduled one. The health check is the liveness probe when it restarts the agent, else the
 * readiness probe. Secret variables come from the Secret {@code <id>-secrets} (key = variable name), which this
 * file does not contain. Every {@code $} is doubled against the {@code $(VAR)} expansion of command, args and env.
 */
public final class KubernetesExport {
    public static final String FILE = "kubernetes.yaml";
    private static final String MANAGER = "Kubernetes";
    private static final String NAME_LABEL = "app.kubernetes.io/name";

    private final ExportContext ctx;
    private final ExportNotes notes = new ExportNotes();

    private KubernetesExport(ExportContext ctx) {
        this.ctx = ctx;
    }

    public static ExportFile write(List<AgentSpec> definitions, ExportContext ctx) {
        KubernetesExport k = new KubernetesExport(ctx);
        List<String> docs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (AgentSpec a : definitions) {
            k.notes.agent(a.id());
            ids.add(a.id());
            docs.add(YamlText.dump(a.schedule() == null ? k.deployment(a) : k.cronJob(a)));
            k.notes.common(a, MANAGER);
            k.otherNotes(a);
        }
        String header = k.notes.header("#", "Kubernetes workloads", List.of(
                "AgentDeck runs programs of this machine: replace each image CHANGE-ME/<id> with one that contains them",
                "at the same paths (command and workingDir are this machine's).",
                "Secret variables come from the Secret <id>-secrets (one key per variable), which is not written here:",
                "kubectl create secret generic <id>-secrets --from-literal=NAME=value ..."), ids);
        return new ExportFile(FILE, header + "---\n" + String.join("---\n", docs));
    }

    private ObjectNode deployment(AgentSpec a) {
        ObjectNode d = resource("apps/v1", "Deployment", a);
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", a.instanced() ? a.instances() : 1);
        spec.putObject("selector").putObject("matchLabels").put(NAME_LABEL, name(a));
        spec.set("template", podTemplate(a, null));
        return d;
    }

    private ObjectNode cronJob(AgentSpec a) {
        ObjectNode c = resource("batch/v1", "CronJob", a);
        ObjectNode spec = c.putObject("spec");
        spec.put("schedule", a.schedule());
        spec.put("concurrencyPolicy", "Forbid");
        ObjectNode job = spec.putObject("jobTemplate").putObject("spec");
        if (a.instanced()) {
            job.put("parallelism", a.instances());
            job.put("completions", a.instances());
        }
        RestartPolicy p = a.restart().policy();
        job.put("backoffLimit", p == RestartPolicy.NEVER ? 0 : a.restart().burst());
        job.set("template", podTemplate(a, p == RestartPolicy.NEVER ? "Never" : "OnFailure"));
        return c;
    }

    private ObjectNode resource(String apiVersion, String kind, AgentSpec a) {
        ObjectNode r = YamlText.F.objectNode();
        r.put("apiVersion", apiVersion);
        r.put("kind", kind);
        ObjectNode meta = r.putObject("metadata");
        meta.put("name", name(a));
        meta.set("labels", labels(a));
        if (!a.tags().isEmpty()) {
            meta.putObject("annotations").put("agentdeck.dev/tags", String.join(",", a.tags()));
        }
        return r;
    }

    private ObjectNode labels(AgentSpec a) {
        ObjectNode l = YamlText.F.objectNode();
        l.put(NAME_LABEL, name(a));
        l.put("app.kubernetes.io/managed-by", "agentdeck");
        return l;
    }

    private ObjectNode podTemplate(AgentSpec a, String restartPolicy) {
        ObjectNode t = YamlText.F.objectNode();
        t.putObject("metadata").set("labels", labels(a));
        ObjectNode spec = t.putObject("spec");
        if (restartPolicy != null) {
            spec.put("restartPolicy", restartPolicy);
        }
        spec.put("terminationGracePeriodSeconds", a.stop().timeoutSec());
        spec.putArray("containers").add(container(a));
        return t;
    }

    private ObjectNode container(AgentSpec a) {
        ObjectNode c = YamlText.F.objectNode();
        c.put("name", name(a).replace('.', '-'));
        c.put("image", "CHANGE-ME/" + name(a));
        c.set("command", YamlText.strings(List.of(literal(executable(a)))));
        if (!a.args().isEmpty()) {
            c.set("args", YamlText.strings(a.args().stream().map(s -> literal(placeholders(a, s))).toList()));
        }
        c.put("workingDir", ctx.cwd(a).toString());
        env(a, c);
        if (a.port() != null) {
            c.putArray("ports").addObject().put("containerPort", a.port());
        }
        resources(a, c);
        if (a.healthCheck() != null) {
            ObjectNode probe = probe(a, a.healthCheck());
            if (probe != null) {
                c.set(a.healthCheck().restartOnUnhealthy() ? "livenessProbe" : "readinessProbe", probe);
            }
        }
        return c;
    }

    private String executable(AgentSpec a) {
        if (!a.command().contains("/") && !a.command().startsWith("~")) {
            return a.command();
        }
        Path exe = ctx.executable(a);
        return exe == null ? a.command() : exe.toString();
    }

    private void env(AgentSpec a, ObjectNode c) {
        ArrayNode env = YamlText.F.arrayNode();
        ExportContext.plainEnv(a).forEach((k, v) -> env.addObject().put("name", k).put("value", literal(placeholders(a, v))));
        for (String k : ExportContext.secretNames(a)) {
            env.addObject().put("name", k).putObject("valueFrom").putObject("secretKeyRef")
                    .put("name", name(a) + "-secrets").put("key", k);
        }
        if (!env.isEmpty()) {
            c.set("env", env);
        }
        if (a.envFile() != null) {
            c.putArray("envFrom").addObject().putObject("secretRef").put("name", name(a) + "-env-file");
            notes.add(a.id(), "envFile", "read from the Secret " + name(a) + "-env-file: kubectl create secret generic "
                    + name(a) + "-env-file --from-env-file=" + ctx.envFile(a));
        }
    }

    private void resources(AgentSpec a, ObjectNode c) {
        boolean memory = a.resources().memoryMb() != null && a.resources().memoryAction() != LimitAction.WARN;
        if (!memory && a.resources().cpuPercent() == null) {
            return;
        }
        ObjectNode limits = c.putObject("resources").putObject("limits");
        if (memory) {
            limits.put("memory", a.resources().memoryMb() + "Mi");
        }
        if (a.resources().cpuPercent() != null) {
            limits.put("cpu", a.resources().cpuPercent() * 10 + "m");
        }
    }

    private ObjectNode probe(AgentSpec a, HealthCheckSpec h) {
        ObjectNode p = YamlText.F.objectNode();
        if (h instanceof HealthCheckSpec.Http http) {
            URI uri;
            try {
                uri = URI.create(placeholders(a, http.endpoint()));
            } catch (IllegalArgumentException e) {
                notes.add(a.id(), "healthCheck", "endpoint is not a URL: " + e.getMessage());
                return null;
            }
            ObjectNode get = p.putObject("httpGet");
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            get.put("path", path);
            boolean https = "https".equalsIgnoreCase(uri.getScheme());
            get.put("port", uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80);
            get.put("scheme", https ? "HTTPS" : "HTTP");
            host(a, uri.getHost(), get);
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            Integer port = tcp.port() == null ? a.port() : tcp.port();
            if (port == null) {
                notes.add(a.id(), "healthCheck", "tcp check without a port");
                return null;
            }
            ObjectNode socket = p.putObject("tcpSocket");
            socket.put("port", port);
            host(a, tcp.host(), socket);
        } else if (h instanceof HealthCheckSpec.Command cmd) {
            p.putObject("exec").set("command", YamlText.strings(cmd.command().stream()
                    .map(s -> placeholders(a, s)).toList()));
        }
        timing(a, h, p);
        return p;
    }

    /** The kubelet probes the pod's address; a loopback host is left out (the program must listen on the pod IP). */
    private void host(AgentSpec a, String host, ObjectNode target) {
        if (host == null || host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1")) {
            notes.add(a.id(), "healthCheck.host", "probed on the pod's IP, not on " + host
                    + ": the program must listen on it");
        } else {
            target.put("host", host);
        }
    }

    private void timing(AgentSpec a, HealthCheckSpec h, ObjectNode p) {
        ProbeTiming t = h.timing();
        p.put("initialDelaySeconds", YamlText.seconds(t.initialDelayMs(), 0));
        p.put("periodSeconds", YamlText.seconds(t.intervalMs(), 1));
        p.put("timeoutSeconds", YamlText.seconds(t.timeoutMs(), 1));
        p.put("failureThreshold", t.failureThreshold());
        boolean liveness = h.restartOnUnhealthy();
        p.put("successThreshold", liveness ? 1 : t.successThreshold());
        if (liveness && t.successThreshold() != 1) {
            notes.add(a.id(), "healthCheck.successThreshold", "a liveness probe needs 1, not " + t.successThreshold());
        }
        if (t.intervalMs() % 1000 != 0 || t.timeoutMs() % 1000 != 0 || t.initialDelayMs() % 1000 != 0) {
            notes.add(a.id(), "healthCheck timing", "Kubernetes counts whole seconds: rounded up");
        }
    }

    /** {port} is the definition's port in every pod (each has its own IP); {instance} has no per-pod value. */
    private String placeholders(AgentSpec a, String text) {
        if (!a.instanced() || text == null) {
            return text;
        }
        String out = text.replace(Instances.PORT, a.port() == null ? "" : a.port().toString());
        if (out.contains(Instances.INSTANCE) && notes.of(a.id()).stream().noneMatch(n -> n.startsWith("{instance}"))) {
            notes.add(a.id(), "{instance}", "pods of a Deployment have no instance number; left as {instance}");
        }
        return out;
    }

    /** The object name: ids allow '_', which DNS names do not; a trailing '-' or '.' is not allowed either. */
    private static String name(AgentSpec a) {
        return a.id().toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("[-.]+$", "");
    }

    private static String literal(String s) {
        return s.replace("$", "$$");
    }

    private void otherNotes(AgentSpec a) {
        String id = a.id();
        if (!name(a).equals(id)) {
            notes.add(id, "id", "named " + name(a) + " (Kubernetes names allow no '_' nor a '-' or '.' at the end)");
        }
        if (!a.dependsOn().isEmpty()) {
            notes.add(id, "dependsOn", "Kubernetes has no start order between workloads ("
                    + String.join(", ", a.dependencyIds()) + "): use readiness probes or init containers");
        }
        if (a.stop().signal() != Signal.TERM) {
            notes.add(id, "stop.signal", "Kubernetes stops with SIGTERM (or the image's STOPSIGNAL), not SIG"
                    + a.stop().signal().name());
        }
        RestartPolicy p = a.restart().policy();
        if (a.schedule() == null && p != RestartPolicy.ALWAYS) {
            notes.add(id, "restart.policy", p.wireName() + ": a Deployment always restarts a container that exits");
        } else if (a.schedule() != null && p == RestartPolicy.ALWAYS) {
            notes.add(id, "restart.policy", "always: a Job's pods restart on failure only");
        }
        if (p != RestartPolicy.NEVER) {
            notes.add(id, "restart", "back-off is the kubelet's (10 s doubling to 5 min), not delayMs " + a.restart().delayMs()
                    + " / maxDelayMs " + a.restart().maxDelayMs() + "; no burst/windowSec limit");
        }
        if (!a.autostart() && a.schedule() == null) {
            notes.add(id, "autostart", "false, but applying the Deployment starts it (scale to 0 to keep it stopped)");
        }
        if (a.schedule() != null) {
            notes.add(id, "schedule", "a CronJob runs in the cluster's time zone unless spec.timeZone is set");
        }
        if (a.resources().memoryAction() == LimitAction.STOP && a.resources().memoryMb() != null) {
            notes.add(id, "resources.memoryAction", "stop: the container is OOM-killed and restarted");
        }
    }
}
