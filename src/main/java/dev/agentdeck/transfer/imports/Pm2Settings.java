package dev.agentdeck.transfer.imports;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What pm2's settings are called (aliases and camelCase spellings, as pm2's schema.json has them), which ones
 * AgentDeck has no counterpart for and why, and which environment variables are pm2's or the shell's own.
 */
final class Pm2Settings {
    /** The settings the reader carries over (by canonical name). */
    static final Set<String> CARRIED = Set.of("name", "script", "args", "exec_interpreter", "node_args", "cwd", "env",
            "instances", "exec_mode", "autorestart", "max_restarts", "min_uptime", "restart_delay",
            "exp_backoff_restart_delay", "kill_timeout", "max_memory_restart", "cron_restart", "watch", "port",
            "namespace", "autostart", "stop_exit_codes");
    private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("exec", "script"),
            Map.entry("interpreter", "exec_interpreter"), Map.entry("interpreter_args", "node_args"),
            Map.entry("interpreterArgs", "node_args"), Map.entry("cron", "cron_restart"), Map.entry("user", "uid"),
            Map.entry("out", "out_file"), Map.entry("output", "out_file"), Map.entry("out_log", "out_file"),
            Map.entry("error", "error_file"), Map.entry("err", "error_file"), Map.entry("err_file", "error_file"),
            Map.entry("err_log", "error_file"), Map.entry("log", "log_file"), Map.entry("combine_logs", "merge_logs"),
            Map.entry("pid", "pid_file"));

    private static final String LOGS = "AgentDeck keeps each agent's output in its own log files";
    private static final String PM2_ONLY = "a pm2 feature AgentDeck has no counterpart for";
    private static final String INSTANCE_VAR = "AgentDeck sets no per-instance variable; use {instance} in args or env";

    /** Not carried: why, and the value that is pm2's default (no note when the file has exactly that). */
    private record Setting(String reason, Object pm2Default) {
    }

    private static final Map<String, Setting> NOT_CARRIED = new HashMap<>();

    static {
        for (String k : new String[] {"out_file", "error_file", "log_file", "pid_file", "log_date_format", "log_type"}) {
            NOT_CARRIED.put(k, new Setting(LOGS, null));
        }
        for (String k : new String[] {"merge_logs", "time", "disable_logs"}) {
            NOT_CARRIED.put(k, new Setting(LOGS, false));
        }
        NOT_CARRIED.put("wait_ready", new Setting("AgentDeck knows an agent is ready by readyLogLine or its health"
                + " check, not by process.send('ready')", false));
        NOT_CARRIED.put("listen_timeout", new Setting("AgentDeck knows an agent is ready by readyLogLine or its"
                + " health check", null));
        NOT_CARRIED.put("shutdown_with_message", new Setting("AgentDeck stops agents with a signal", false));
        NOT_CARRIED.put("treekill", new Setting("AgentDeck always signals the agent's whole process tree", true));
        NOT_CARRIED.put("uid", new Setting("AgentDeck runs agents as the user it runs as", null));
        NOT_CARRIED.put("gid", new Setting("AgentDeck runs agents as the user it runs as", null));
        NOT_CARRIED.put("ignore_watch", new Setting("AgentDeck's watch takes the paths to watch only", null));
        NOT_CARRIED.put("watch_delay", new Setting("AgentDeck's watch takes the paths to watch only", null));
        NOT_CARRIED.put("watch_options", new Setting("AgentDeck's watch takes the paths to watch only", null));
        NOT_CARRIED.put("instance_var", new Setting(INSTANCE_VAR, "NODE_APP_INSTANCE"));
        NOT_CARRIED.put("increment_var", new Setting(INSTANCE_VAR, null));
        NOT_CARRIED.put("vizion", new Setting(PM2_ONLY, true));
        NOT_CARRIED.put("pmx", new Setting(PM2_ONLY, true));
        NOT_CARRIED.put("automation", new Setting(PM2_ONLY, true));
        NOT_CARRIED.put("windowsHide", new Setting(PM2_ONLY, true));
        NOT_CARRIED.put("kill_retry_time", new Setting(PM2_ONLY, 100));
        NOT_CARRIED.put("disable_trace", new Setting(PM2_ONLY, true));
        for (String k : new String[] {"source_map_support", "disable_source_map_support", "trace", "v8",
                "event_loop_inspector", "deep_monitoring", "io", "post_update", "force", "append_env_to_name",
                "filter_env", "install_url", "write", "name_prefix", "execute_command"}) {
            NOT_CARRIED.put(k, new Setting(PM2_ONLY, null));
        }
    }

    /** Shell and session variables every process inherits; a jlist copy of them is no setting of the app. */
    private static final Set<String> SESSION = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD",
            "TERM", "SHLVL", "LANG", "LANGUAGE", "MAIL", "HOSTNAME", "DISPLAY", "COLORTERM", "LS_COLORS", "LESSOPEN",
            "LESSCLOSE", "MOTD_SHOWN", "DBUS_SESSION_BUS_ADDRESS", "EDITOR", "PAGER", "_", "TMPDIR", "WINDOWID");
    private static final Set<String> SESSION_PREFIXES = Set.of("LC_", "XDG_", "SSH_", "TERM_", "NVM_", "TMUX",
            "WAYLAND_", "GPG_", "npm_");
    /** pm2's own variables in a process's env; the app-named entry and axm_* are matched separately. */
    private static final Set<String> PM2_VARS = Set.of("pm_id", "unique_id", "NODE_APP_INSTANCE", "name",
            "namespace", "km_link", "vizion_running", "status", "pm_uptime", "restart_time", "unstable_restarts",
            "created_at", "version", "node_version", "exit_code", "instances", "exec_mode", "instance_var",
            "pmx_module", "prev_restart_delay", "axm_actions", "axm_monitor", "axm_options", "axm_dynamic");

    private Pm2Settings() {
    }

    /** The canonical name of a key as an ecosystem file or jlist spells it. */
    static String canonical(String key) {
        String alias = ALIASES.get(key);
        if (alias != null) {
            return alias;
        }
        if (key.equals("windowsHide") || !key.matches("[a-z]+([A-Z][a-z0-9]*)+")) {
            return key;
        }
        String snake = key.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
        return CARRIED.contains(snake) || NOT_CARRIED.containsKey(snake) ? snake : key;
    }

    /** Why {@code key} (canonical) is not carried, or null when it is carried or has pm2's default value. */
    static String notCarried(String key, JsonNode value) {
        Setting s = NOT_CARRIED.get(key);
        if (s == null) {
            return null;
        }
        Object d = s.pm2Default();
        boolean isDefault = d instanceof Boolean b ? value.isBoolean() && value.booleanValue() == b
                : d instanceof Integer i ? value.isNumber() && value.intValue() == i
                : d instanceof String t && value.isTextual() && value.textValue().equals(t);
        boolean empty = value.isNull() || (value.isContainerNode() && value.isEmpty())
                || (value.isBoolean() && !value.booleanValue() && d == null);
        return isDefault || empty ? null : s.reason();
    }

    static boolean known(String key) {
        return CARRIED.contains(key) || NOT_CARRIED.containsKey(key) || key.startsWith("env_");
    }

    /** Whether {@code key} of a jlist process's env is pm2's or the shell's rather than the app's. */
    static boolean inherited(String key, String appName, JsonNode value) {
        if (key.startsWith("PM2_") || key.startsWith("pm_") || key.startsWith("axm_") || PM2_VARS.contains(key)) {
            return true;
        }
        if (key.equals(appName) && value.isTextual() && value.textValue().startsWith("{")) {
            return true; // pm2 keeps each app's env as JSON under the app's name
        }
        return SESSION.contains(key) || SESSION_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
