package dev.agentdeck.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Dependency;
import dev.agentdeck.core.DependencyCondition;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.core.StopSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns agents.json into a {@link WorkspaceConfig}, or a {@link ConfigException} listing every problem:
 * syntax, unknown fields, wrong types, and everything {@link SpecValidator} finds.
 */
public final class ConfigReader {
    static final Set<String> TOP_FIELDS = Set.of("version", "agents");
    static final Set<String> AGENT_FIELDS = Set.of("id", "name", "type", "command", "args", "cwd", "env", "envFile",
            "port", "match", "autostart", "restart", "stop", "healthCheck", "resources", "dependsOn", "tags",
            "instances", "readyLogLine", "schedule", "watch", "daemon");
    static final Set<String> RESTART_FIELDS = Set.of("policy", "delayMs", "maxDelayMs", "burst", "windowSec",
            "resetAfterSec");
    static final Set<String> STOP_FIELDS = Set.of("signal", "timeoutSec");
    static final Set<String> HEALTH_FIELDS = Set.of("type", "endpoint", "host", "port", "command", "intervalMs",
            "timeoutMs", "failureThreshold", "successThreshold", "initialDelayMs", "restartOnUnhealthy");
    static final Set<String> RESOURCE_FIELDS = Set.of("memoryMb", "cpuPercent", "memoryAction");
    static final Set<String> DEPENDENCY_FIELDS = Set.of("id", "condition");
    static final Set<String> DAEMON_FIELDS = Set.of("pidFile", "timeoutSec");

    private ConfigReader() {
    }

    /** Reads a whole agents.json. {@code source} names the file in messages. */
    public static WorkspaceConfig read(byte[] bytes, String source) throws ConfigException {
        JsonNode root = Json.parse(bytes, source);
        List<Problem> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new ConfigException(source + " is not a valid agent list", List.of(new Problem(source,
                    "the top level must be an object like {\"version\": 1, \"agents\": [...]}, got "
                            + JsonFields.describe(root))));
        }
        JsonFields top = new JsonFields(root, source, "", problems, TOP_FIELDS);
        Integer version = top.integer("version");
        if (version != null && version != WorkspaceConfig.CURRENT_VERSION) {
            top.problem("version " + version + " is not supported; this AgentDeck reads version "
                    + WorkspaceConfig.CURRENT_VERSION);
        }
        List<AgentSpec> agents = new ArrayList<>();
        JsonNode list = top.raw("agents");
        if (list != null && !list.isArray()) {
            top.wrongType("agents", "an array", list);
        } else if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                AgentSpec spec = readAgent(list.get(i), i, problems);
                if (spec != null) {
                    agents.add(spec);
                }
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(SpecValidator.validate(agents));
        } else {
            // Still report what validation finds, but only for agents that were read whole.
            problems.addAll(SpecValidator.validate(agents).stream()
                    .filter(p -> problems.stream().noneMatch(q -> q.where().equals(p.where())
                            && q.what().startsWith(firstWord(p.what()))))
                    .toList());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"),
                    problems);
        }
        return new WorkspaceConfig(version == null ? WorkspaceConfig.CURRENT_VERSION : version, agents);
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** Reads and validates one agent as agents.json holds it (an export's spec, a template), named {@code where}. */
    public static AgentSpec readOne(JsonNode node, String where) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        AgentSpec spec = readAgent(node, 0, problems);
        if (spec != null && problems.isEmpty()) {
            problems.addAll(SpecValidator.validate(List.of(spec)).stream()
                    .filter(p -> !p.what().startsWith("dependsOn names")).toList());
        }
        if (!problems.isEmpty() || spec == null) {
            throw new ConfigException(where + " is not a valid agent",
                    problems.stream().map(p -> new Problem(where, p.what())).toList());
        }
        return spec;
    }

    /** Reads one agent object; problems are added with its place. Returns null when it is not an object. */
    static AgentSpec readAgent(JsonNode node, int index, List<Problem> problems) {
        if (!node.isObject()) {
            problems.add(new Problem("agents[" + index + "]", "must be an object, got " + JsonFields.describe(node)));
            return null;
        }
        JsonNode idNode = node.get("id");
        String id = idNode != null && idNode.isTextual() ? idNode.textValue() : null;
        String where = SpecValidator.where(index, id);
        JsonFields f = new JsonFields(node, where, "", problems, AGENT_FIELDS);
        if (idNode == null || idNode.isNull()) {
            f.problem("id is required");
        }
        String readId = f.text("id");
        AgentSpec.Builder b = AgentSpec.builder(readId == null ? "" : readId)
                .name(f.text("name"))
                .type(f.text("type"))
                .command(f.text("command"))
                .cwd(f.text("cwd"))
                .envFile(f.text("envFile"))
                .port(f.integer("port"))
                .match(f.text("match"))
                .readyLogLine(f.text("readyLogLine"));
        List<String> args = f.textList("args");
        if (args != null) {
            b.args(args);
        }
        var env = f.textMap("env");
        if (env != null) {
            b.env(env);
        }
        Boolean autostart = f.bool("autostart");
        b.autostart(autostart != null && autostart);
        JsonNode restart = f.object("restart");
        if (restart != null) {
            b.restart(readRestart(restart, where, problems));
        }
        JsonNode stop = f.object("stop");
        if (stop != null) {
            b.stop(readStop(stop, where, problems));
        }
        JsonNode health = f.object("healthCheck");
        if (health != null) {
            b.healthCheck(readHealth(health, where, problems));
        }
        JsonNode resources = f.object("resources");
        if (resources != null) {
            b.resources(readResources(resources, where, problems));
        }
        b.dependsOn(readDependencies(f, where, problems));
        List<String> tags = f.textList("tags");
        if (tags != null) {
            b.tags(tags);
        }
        Integer instances = f.integer("instances");
        if (instances != null && instances < 1) {
            f.problem("instances must be at least 1 (leave it out for a single agent named \""
                    + SpecValidator.printable(String.valueOf(readId)) + "\")");
        }
        b.instances(instances == null ? 0 : Math.max(instances, 1));
        b.schedule(f.text("schedule"));
        List<String> watch = f.textList("watch");
        if (watch != null) {
            b.watch(watch);
        }
        JsonNode daemon = f.object("daemon");
        if (daemon != null) {
            b.daemon(readDaemon(daemon, where, problems));
        }
        return b.build();
    }

    private static dev.agentdeck.core.DaemonSpec readDaemon(JsonNode node, String where, List<Problem> problems) {
        JsonFields f = new JsonFields(node, where, "daemon.", problems, DAEMON_FIELDS);
        return new dev.agentdeck.core.DaemonSpec(f.text("pidFile"),
                orDefault(f.integer("timeoutSec"), dev.agentdeck.core.DaemonSpec.DEFAULT_TIMEOUT_SEC));
    }

    private static RestartSpec readRestart(JsonNode node, String where, List<Problem> problems) {
        JsonFields f = new JsonFields(node, where, "restart.", problems, RESTART_FIELDS);
        RestartSpec d = RestartSpec.DEFAULT;
        RestartPolicy policy = d.policy();
        String p = f.text("policy");
        if (p != null) {
            policy = RestartPolicy.parse(p);
            if (policy == null) {
                f.problem("restart.policy \"" + SpecValidator.printable(p) + "\" must be never, on-failure or always");
                policy = d.policy();
            }
        }
        return new RestartSpec(policy, orDefault(f.longValue("delayMs"), d.delayMs()),
                orDefault(f.longValue("maxDelayMs"), d.maxDelayMs()), orDefault(f.integer("burst"), d.burst()),
                orDefault(f.integer("windowSec"), d.windowSec()), orDefault(f.integer("resetAfterSec"), d.resetAfterSec()));
    }

    private static StopSpec readStop(JsonNode node, String where, List<Problem> problems) {
        JsonFields f = new JsonFields(node, where, "stop.", problems, STOP_FIELDS);
        Signal signal = StopSpec.DEFAULT.signal();
        String s = f.text("signal");
        if (s != null) {
            signal = Signal.parse(s);
            if (signal == null) {
                f.problem("stop.signal \"" + SpecValidator.printable(s) + "\" is not a signal AgentDeck knows ("
                        + signalNames() + ")");
                signal = StopSpec.DEFAULT.signal();
            }
        }
        return new StopSpec(signal, orDefault(f.integer("timeoutSec"), StopSpec.DEFAULT.timeoutSec()));
    }

    static String signalNames() {
        return String.join(", ", java.util.Arrays.stream(Signal.values()).map(Enum::name).toList());
    }

    private static HealthCheckSpec readHealth(JsonNode node, String where, List<Problem> problems) {
        JsonFields f = new JsonFields(node, where, "healthCheck.", problems, HEALTH_FIELDS);
        String type = f.text("type");
        if (type == null) {
            type = f.has("endpoint") ? "http" : f.has("command") ? "command" : null;
        }
        ProbeTiming d = ProbeTiming.DEFAULT;
        ProbeTiming timing = new ProbeTiming(orDefault(f.longValue("intervalMs"), d.intervalMs()),
                orDefault(f.longValue("timeoutMs"), d.timeoutMs()),
                orDefault(f.integer("failureThreshold"), d.failureThreshold()),
                orDefault(f.integer("successThreshold"), d.successThreshold()),
                orDefault(f.longValue("initialDelayMs"), d.initialDelayMs()));
        Boolean restartBool = f.bool("restartOnUnhealthy");
        boolean restart = restartBool != null && restartBool;
        if (type == null) {
            f.problem("healthCheck.type is required: http, tcp, command or none");
            return null;
        }
        switch (type) {
            case "none":
                return null;
            case "http": {
                String endpoint = f.text("endpoint");
                if (endpoint == null) {
                    f.problem("healthCheck.endpoint is required for an http check");
                    return null;
                }
                return new HealthCheckSpec.Http(endpoint, timing, restart);
            }
            case "tcp": {
                String host = f.text("host");
                return new HealthCheckSpec.Tcp(host == null ? "127.0.0.1" : host, f.integer("port"), timing, restart);
            }
            case "command": {
                JsonNode cmd = f.raw("command");
                if (cmd == null) {
                    f.problem("healthCheck.command is required for a command check");
                    return null;
                }
                if (!cmd.isArray()) {
                    f.problem("healthCheck.command must be an array of strings (no shell), e.g. "
                            + "[\"curl\", \"-fsS\", \"http://127.0.0.1:8001/health\"], got " + JsonFields.describe(cmd));
                    return null;
                }
                List<String> command = f.textList("command");
                return new HealthCheckSpec.Command(command, timing, restart);
            }
            default:
                f.problem("healthCheck.type \"" + SpecValidator.printable(type) + "\" must be http, tcp, command or none");
                return null;
        }
    }

    private static ResourceLimits readResources(JsonNode node, String where, List<Problem> problems) {
        JsonFields f = new JsonFields(node, where, "resources.", problems, RESOURCE_FIELDS);
        LimitAction action = LimitAction.RESTART;
        String a = f.text("memoryAction");
        if (a != null) {
            action = LimitAction.parse(a);
            if (action == null) {
                f.problem("resources.memoryAction \"" + SpecValidator.printable(a) + "\" must be restart, stop or warn");
                action = LimitAction.RESTART;
            }
        }
        return new ResourceLimits(f.integer("memoryMb"), f.integer("cpuPercent"), action);
    }

    private static List<Dependency> readDependencies(JsonFields f, String where, List<Problem> problems) {
        JsonNode list = f.raw("dependsOn");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            f.wrongType("dependsOn", "an array of agent ids or {\"id\", \"condition\"} objects", list);
            return List.of();
        }
        List<Dependency> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            if (e.isTextual()) {
                out.add(Dependency.started(e.textValue()));
            } else if (e.isObject()) {
                JsonFields d = new JsonFields(e, where, "dependsOn[" + i + "].", problems, DEPENDENCY_FIELDS);
                String id = d.text("id");
                if (id == null) {
                    d.problem("dependsOn[" + i + "].id is required");
                    continue;
                }
                DependencyCondition condition = DependencyCondition.STARTED;
                String c = d.text("condition");
                if (c != null) {
                    condition = DependencyCondition.parse(c);
                    if (condition == null) {
                        d.problem("dependsOn[" + i + "].condition \"" + SpecValidator.printable(c)
                                + "\" must be started, healthy or completed");
                        condition = DependencyCondition.STARTED;
                    }
                }
                out.add(new Dependency(id, condition));
            } else {
                problems.add(new dev.agentdeck.core.Problem(where, "dependsOn[" + i
                        + "] must be an agent id or an object {\"id\", \"condition\"}, got " + JsonFields.describe(e)));
            }
        }
        return out;
    }

    private static long orDefault(Long v, long d) {
        return v == null ? d : v;
    }

    private static int orDefault(Integer v, int d) {
        return v == null ? d : v;
    }
}
