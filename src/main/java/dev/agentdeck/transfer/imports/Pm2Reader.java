package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.StopSpec;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a pm2 ecosystem file (JSON or YAML: {@code {"apps": [...]}}, a bare array, or one app) or the output of
 * {@code pm2 jlist}, whose processes of one name become one agent with that many instances. Carried: script
 * with its interpreter as command and args, cwd, env (without pm2's and the shell's own variables), instances,
 * autorestart, max_restarts, min_uptime, restart_delay, exp_backoff_restart_delay, kill_timeout (pm2 stops with
 * SIGINT), max_memory_restart, cron_restart as schedule, watch, port, namespace as a tag, autostart.
 */
public final class Pm2Reader {
    private final Collector out;
    private final LocatedTree tree;
    private final Pm2Commands commands;

    private Pm2Reader(Collector out, LocatedTree tree) {
        this.out = out;
        this.tree = tree;
        this.commands = new Pm2Commands(out);
    }

    public static ImportResult read(String text, String source) {
        Collector out = new Collector(ImportFormat.PM2, source);
        String t = text.strip();
        boolean json = t.startsWith("{") || t.startsWith("[");
        if (!json && (t.contains("module.exports") || t.contains("export default"))) {
            out.problem(0, null, "this is a JavaScript ecosystem file, which AgentDeck does not run; import the"
                    + " output of `pm2 jlist` after `pm2 start` of it, or write the apps as JSON");
            return out.result();
        }
        try {
            LocatedTree tree = json ? LocatedTree.json(text) : LocatedTree.yaml(text);
            new Pm2Reader(out, tree).apps();
        } catch (LocatedTree.SyntaxError e) {
            out.problem(e.line, null, "not valid " + (json ? "JSON" : "YAML") + ": " + e.getMessage());
        }
        return out.result();
    }

    private void apps() {
        JsonNode root = tree.root();
        JsonNode apps = root;
        String path = "";
        if (root.isObject() && root.has("apps")) {
            apps = root.get("apps");
            path = "apps";
            root.fieldNames().forEachRemaining(k -> {
                if (!k.equals("apps")) {
                    out.fileNote(k, k.equals("deploy") ? "pm2 deploy is not an agent setting; ignored" : "ignored");
                }
            });
        }
        if (apps.isObject() && apps.has("script")) {
            app(apps, path, 1);
        } else if (apps.isArray()) {
            Map<String, List<Integer>> jlist = jlistGroups(apps);
            for (int i = 0; i < apps.size(); i++) {
                String at = LocatedTree.element(path, i);
                JsonNode a = apps.get(i);
                if (!a.isObject()) {
                    out.problem(tree.line(at), at, "an app must be an object, got " + NodeFields.kind(a));
                } else if (!a.path("pm2_env").isObject()) {
                    app(a, at, 1);
                } else if (jlist.get(a.path("name").asText()).get(0) == i) {
                    app(a.get("pm2_env"), LocatedTree.field(at, "pm2_env"), jlist.get(a.path("name").asText()).size());
                }
            }
        } else {
            out.problem(tree.line(path), path.isEmpty() ? null : path, "expected {\"apps\": [...]}, a list of apps"
                    + " or the output of `pm2 jlist`, got " + NodeFields.kind(apps));
        }
    }

    /** The indexes of the jlist processes of each name: pm2 lists every instance of an app on its own. */
    private static Map<String, List<Integer>> jlistGroups(JsonNode apps) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            JsonNode a = apps.get(i);
            if (a.isObject() && a.path("pm2_env").isObject()) {
                groups.computeIfAbsent(a.path("name").asText(), k -> new ArrayList<>()).add(i);
            }
        }
        return groups;
    }

    /** One app; {@code listed} is how many jlist processes it has (1 for an ecosystem app). */
    private void app(JsonNode node, String path, int listed) {
        boolean jlist = path.endsWith("pm2_env");
        NodeFields f = new NodeFields(tree, node, path, path, out, Pm2Settings::canonical);
        String script = f.text(jlist ? "pm_exec_path" : "script");
        String name = f.text("name");
        if (name == null && script != null && !jlist) {
            name = Pm2Commands.baseName(script);
        }
        if (name == null || name.isBlank()) {
            out.problem(tree.line(path), path, "the app has no name" + (script == null ? " and no script" : ""));
            return;
        }
        String id = out.id(name, tree.line(path), path);
        if (id == null) {
            return;
        }
        if (script == null) {
            f.fail(jlist ? "pm_exec_path" : "script", "is required");
            return;
        }
        String label = "app \"" + name + "\"";
        f = new NodeFields(tree, node, path, label, out, Pm2Settings::canonical);
        AgentSpec.Builder b = AgentSpec.builder(id).name(name.equals(id) ? null : name);
        commands.command(f, b, id, script, jlist);
        String cwd = f.text(jlist ? "pm_cwd" : "cwd");
        Map<String, String> env = jlist ? commands.jlistEnv(f, id, name) : commands.env(f, id);
        Long port = f.number("port", 1);
        if (port != null) {
            env.put("PORT", port.toString());
            b.port((int) Math.min(port, Integer.MAX_VALUE));
        }
        Boolean autostart = f.bool("autostart");
        b.cwd(cwd).env(env).autostart(autostart == null || autostart).instances(instances(f, id, listed))
                .restart(restart(f, id)).stop(stop(f)).resources(memory(f)).schedule(f.text("cron_restart"))
                .watch(watch(f)).tags(namespace(f));
        notes(f, id, jlist);
        if (!f.failed) {
            out.add(b.build(), tree.line(path), label);
        }
    }

    private int instances(NodeFields f, String id, int listed) {
        JsonNode v = f.raw("instances");
        boolean perCore = v != null && (v.asText().equalsIgnoreCase("max") || v.isNumber() && v.asLong() <= 0);
        if (perCore && listed <= 1) {
            out.note(id, "instances", "pm2 ran one instance per CPU core (" + v.asText() + "); AgentDeck runs one:"
                    + " set instances yourself");
            return 0;
        }
        Long n = listed > 1 || perCore ? Long.valueOf(listed) : f.number("instances", 0);
        if (f.text("exec_mode") != null && f.text("exec_mode").startsWith("cluster")) {
            out.note(id, "exec_mode", "pm2's cluster mode shares one port among the instances through Node's"
                    + " cluster module; AgentDeck runs each instance as a process of its own, so give each its own"
                    + " port (with {instance})");
        }
        return n == null || n <= 1 ? 0 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    private RestartSpec restart(NodeFields f, String id) {
        RestartSpec d = RestartSpec.DEFAULT;
        Boolean auto = f.bool("autorestart");
        RestartPolicy policy = auto == null || auto ? RestartPolicy.ALWAYS : RestartPolicy.NEVER;
        List<String> stopCodes = f.texts("stop_exit_codes");
        if (stopCodes != null && policy == RestartPolicy.ALWAYS) {
            if (stopCodes.equals(List.of("0"))) {
                policy = RestartPolicy.ON_FAILURE;
            } else if (!stopCodes.isEmpty()) {
                out.note(id, "stop_exit_codes", "AgentDeck's on-failure restarts every exit but code 0; it cannot"
                        + " spare the codes " + String.join(", ", stopCodes) + ", so the app restarts after any exit");
            }
        }
        Long burst = f.number("max_restarts", 0);
        long delay = d.delayMs();
        long maxDelay = d.maxDelayMs();
        Long fixed = f.number("restart_delay", 0);
        Long backoff = f.number("exp_backoff_restart_delay", 0);
        if (backoff != null && backoff > 0) {
            delay = backoff;
            maxDelay = Math.max(backoff, 15_000); // pm2 grows the back-off up to 15 s
            if (fixed != null) {
                out.note(id, "restart_delay", "exp_backoff_restart_delay takes its place, as in pm2");
            }
        } else if (fixed != null && fixed > 0) { // 0 is pm2's "no delay", which every jlist entry shows
            delay = fixed;
            maxDelay = fixed;
        }
        Long uptime = Pm2Commands.millis(f, "min_uptime");
        return new RestartSpec(policy, delay, maxDelay, burst == null ? d.burst() : (int) Math.max(1, Math.min(burst, 10_000)),
                d.windowSec(), uptime == null ? d.resetAfterSec() : (int) Math.min((uptime + 999) / 1000, 86_400));
    }

    private static StopSpec stop(NodeFields f) {
        Long ms = f.number("kill_timeout", 0);
        long timeout = ms == null ? 1600 : ms; // pm2's default
        return new StopSpec(Signal.INT, (int) Math.min((timeout + 999) / 1000, 100_000));
    }

    private static ResourceLimits memory(NodeFields f) {
        JsonNode v = f.raw("max_memory_restart");
        if (v == null) {
            return ResourceLimits.NONE;
        }
        Long bytes = Pm2Commands.bytes(v);
        if (bytes == null || bytes < 1) {
            f.fail("max_memory_restart", "\"" + v.asText() + "\" is not a size like 300M, 1G, 512K or a number of bytes");
            return ResourceLimits.NONE;
        }
        long mb = Math.max(1, (bytes + (1 << 20) - 1) >> 20);
        return new ResourceLimits((int) Math.min(mb, Integer.MAX_VALUE), null, LimitAction.RESTART);
    }

    private static List<String> watch(NodeFields f) {
        JsonNode v = f.raw("watch");
        if (v == null || v.isBoolean() && !v.booleanValue()) {
            return List.of();
        }
        if (v.isBoolean()) {
            return List.of(".");
        }
        List<String> paths = f.texts("watch");
        return paths == null ? List.of() : paths;
    }

    private static List<String> namespace(NodeFields f) {
        String ns = f.text("namespace");
        return ns == null || ns.isBlank() || ns.equals("default") ? List.of() : List.of(ns);
    }

    private void notes(NodeFields f, String id, boolean jlist) {
        for (String key : f.names()) {
            JsonNode v = f.raw(key);
            String reason = v == null ? null : Pm2Settings.notCarried(key, v);
            if (reason != null) {
                out.note(id, f.spelled(key), reason);
            } else if (key.startsWith("env_") && !jlist) {
                out.note(id, f.spelled(key), "the env of `pm2 start --env " + key.substring(4) + "`; only env is"
                        + " imported");
            } else if (!jlist && !Pm2Settings.known(key)) {
                out.note(id, f.spelled(key), "not a pm2 setting AgentDeck knows; left out");
            }
        }
    }
}
