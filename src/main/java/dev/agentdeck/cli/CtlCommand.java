package dev.agentdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.app.CommandLine;
import dev.agentdeck.config.Json;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.tls.Fingerprint;
import dev.agentdeck.tls.KnownEngines;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code agentdeck ctl}: a command-line client of the panel or {@code serve} that owns a home. Prints tables
 * for people and, with {@code --json}, the API's data for scripts; exits non-zero with the server's error text
 * when something fails (1 refused or failed, 2 bad usage, 3 no instance reachable, 4 unknown agent, 5 the
 * server's TLS certificate is not the pinned or given one).
 */
public final class CtlCommand {
    public static final String USAGE = """
            Usage: agentdeck [--home DIR] ctl [--json] [--url URL --token-file FILE [--fingerprint FP]] COMMAND [ARGS]

            Commands:
              status [ID...]                 agents with their state, health, PID, uptime, CPU and memory
              info                           the engine: version, kind, home, and how it contains agents'
                                             processes (cgroup v2, tracking, or process groups only)
              start|stop|restart ID...       act on agents (stop --force kills at once)
              kill|pause|resume ID...        KILL the tree, SIGSTOP it, SIGCONT it
              signal ID SIGNAL               send a signal (HUP, INT, USR1, ...) to the agent's process
              logs ID [-n N] [--level L] [-f]   the last N lines (default 50), -f to follow
              events [-n N] [--agent ID] [--type T] [-f]   recorded events, -f to follow live ones
              start-all | stop-all           every agent, in dependency order
              export ID [-o FILE]            the agent's config and history as JSON (secrets masked)
              import FILE                    add an agent and its history from an export
              import FILE [--format F] [--dry-run] [--accept-problems]
                                             add the agents of a Supervisor config, PM2 ecosystem file or
                                             pm2 jlist output, process-compose YAML or Procfile, after a preview
                                             (F: supervisor, pm2, process-compose, procfile; detected otherwise)
              export --format F [ID...] [-o DIR]
                                             agents (all when no ID) as systemd units, Supervisor config,
                                             Docker Compose or Kubernetes (F: systemd, supervisor, compose,
                                             kubernetes); files into DIR, or printed
              templates                      the templates agents can be made from
              new TEMPLATE ID [--set FIELD=VALUE]...   add an agent from a template and start it
              save-template ID TEMPLATE [--name N] [--description D]   save an agent as a template
              scale ID N                     run N instances of an agent (ids ID-1..N)
              group start|stop|restart TAG   act on every agent tagged TAG

            The running instance is found through api.json and api.token in the home's data folder.
            With --url https://HOST:PORT the engine's certificate is pinned on first use in known-engines.json
            ($XDG_CONFIG_HOME/agentdeck or ~/.config/agentdeck; -Dagentdeck.knownEngines=FILE names another)
            and must match from then on; --fingerprint SHA256:AB:CD:... expects (and pins) that exact one.
            Exit codes: 1 refused or failed, 2 bad usage, 3 no instance reachable, 4 unknown agent,
            5 the TLS certificate is not the pinned or given one.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private boolean json;

    private CtlCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(CommandLine cl, PrintStream out, PrintStream err) {
        return new CtlCommand(out, err).run(cl.home(), cl.rest());
    }

    int run(String home, List<String> rawArgs) {
        List<String> args = new ArrayList<>(rawArgs);
        String url = null;
        String tokenFile = null;
        try {
            json = args.remove("--json");
            url = option(args, "--url");
            tokenFile = option(args, "--token-file");
            Fingerprint fingerprint = fingerprint(option(args, "--fingerprint"), url);
            if (args.isEmpty() || args.contains("--help") || args.contains("-h") || args.get(0).equals("help")) {
                out.print(USAGE);
                return args.isEmpty() ? 2 : 0;
            }
            ApiClient client;
            String token = tokenFile == null ? null : Files.readString(Path.of(tokenFile)).trim();
            if (url != null) {
                client = new ApiClient(url, token, https(url) ? KnownEngines.user() : null, fingerprint,
                        m -> err.println("agentdeck ctl: " + m));
            } else {
                client = ApiClient.forWorkspace(Workspace.resolve(home, System.getenv()));
                if (token != null) {
                    client = client.withToken(token);
                }
            }
            String command = args.remove(0);
            return dispatch(client, command, args);
        } catch (UsageException e) {
            err.println("agentdeck ctl: " + e.getMessage() + " (see agentdeck ctl --help)");
            return 2;
        } catch (CtlException e) {
            err.println("agentdeck ctl: " + e.getMessage());
            e.details().forEach(d -> err.println("  - " + d));
            return e.exitCode();
        } catch (IOException e) {
            err.println("agentdeck ctl: cannot read the token file " + tokenFile + ": " + why(e));
            return 2;
        }
    }

    /** The --fingerprint to expect, checked against the --url it goes with; null when none is given. */
    private static Fingerprint fingerprint(String given, String url) {
        if (url != null) {
            URI u;
            try {
                u = new URI(url);
            } catch (URISyntaxException e) {
                throw new UsageException("--url \"" + url + "\" must be http://HOST:PORT or https://HOST:PORT ("
                        + e.getReason().toLowerCase(Locale.ROOT) + ")");
            }
            if (u.getHost() == null || !List.of("http", "https").contains(String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT))) {
                throw new UsageException("--url \"" + url + "\" must be http://HOST:PORT or https://HOST:PORT");
            }
        }
        if (given == null) {
            return null;
        }
        if (url == null || !https(url)) {
            throw new UsageException("--fingerprint goes with --url https://HOST:PORT (a local engine's fingerprint "
                    + "is read from its api.json)");
        }
        try {
            return Fingerprint.parse(given);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--fingerprint " + e.getMessage());
        }
    }

    private static boolean https(String url) {
        return url.toLowerCase(Locale.ROOT).startsWith("https:");
    }

    /** Bad usage, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private void printInfo(JsonNode d) {
        out.println(d.path("product").asText("AgentDeck") + " " + d.path("version").asText() + " (" + d.path("kind").asText()
                + ", PID " + d.path("pid").asText() + ")");
        out.println("home:        " + d.path("home").asText());
        out.println("data:        " + d.path("dataDir").asText());
        out.println("agents:      " + d.path("agents").asText());
        JsonNode c = d.path("containment");
        if (c.isObject()) {
            out.println("containment: " + c.path("mode").asText().toLowerCase(Locale.ROOT)
                    + (c.path("where").isTextual() ? " in " + c.path("where").asText() : "")
                    + " (" + c.path("reason").asText() + ")");
        }
        if (d.path("historyProblem").isTextual()) {
            out.println("history:     off: " + d.path("historyProblem").asText());
        }
    }

    private int dispatch(ApiClient c, String command, List<String> args) throws CtlException {
        switch (command) {
            case "status" -> {
                return status(c, args);
            }
            case "start", "stop", "restart", "kill", "pause", "resume" -> {
                return control(c, command, args);
            }
            case "info" -> {
                noArgs(command, args);
                JsonNode data = c.get("/api/info").get("data");
                print(data, () -> printInfo(data));
                return 0;
            }
            case "signal" -> {
                if (args.size() != 2) {
                    throw new UsageException("signal needs an agent id and a signal, e.g. signal web HUP");
                }
                if (dev.agentdeck.core.Signal.parse(args.get(1)) == null) {
                    throw new UsageException("\"" + args.get(1) + "\" is not a signal AgentDeck sends ("
                            + String.join(", ", java.util.Arrays.stream(dev.agentdeck.core.Signal.values()).map(Enum::name).toList()) + ")");
                }
                requireKnown(c, List.of(args.get(0)));
                JsonNode data = c.post("/api/spawn/process/" + enc(args.get(0)) + "/signal", Map.of("signal", args.get(1)))
                        .get("data");
                print(data, () -> out.println(args.get(0) + ": SIG" + args.get(1).toUpperCase().replaceFirst("^SIG", "")
                        + " sent; " + stateLine(data)));
                return 0;
            }
            case "logs" -> {
                return logs(c, args);
            }
            case "events" -> {
                return events(c, args);
            }
            case "start-all", "stop-all" -> {
                noArgs(command, args);
                JsonNode data = c.post("/api/spawn/" + command, null).get("data");
                print(data, () -> data.forEach(i -> out.println(i.path("id").asText() + ": "
                        + i.path("status").asText() + (i.path("message").isNull() ? "" : " (" + i.path("message").asText() + ")"))));
                return 0;
            }
            case "templates", "new", "save-template", "scale", "group" -> {
                return new TransferCommands(out, json).run(c, command, args);
            }
            case "export" -> {
                if (args.contains("--format")) {
                    return new TransferCommands(out, json).export(c, args);
                }
                String file = option(args, "-o");
                if (args.size() != 1) {
                    throw new UsageException("export needs one agent id");
                }
                JsonNode data = c.get("/api/spawn/process/" + enc(args.get(0)) + "/export").get("data");
                byte[] bytes = Json.pretty(data);
                if (file == null) {
                    out.print(new String(bytes, StandardCharsets.UTF_8));
                } else {
                    try {
                        Files.write(Path.of(file), bytes);
                    } catch (IOException e) {
                        throw new CtlException("cannot write " + file + ": " + why(e));
                    }
                    if (!json) {
                        out.println("exported " + args.get(0) + " to " + file + " (secret env values are masked)");
                    }
                }
                return 0;
            }
            case "import" -> {
                if (args.size() != 1 || !TransferCommands.isAgentDeckExport(args.get(0))) {
                    return new TransferCommands(out, json).importFile(c, args);
                }
                String body;
                try {
                    body = Files.readString(Path.of(args.get(0)));
                } catch (IOException e) {
                    throw new CtlException("cannot read " + args.get(0) + ": " + why(e));
                }
                JsonNode reply = c.post("/api/spawn/import", body);
                JsonNode data = reply.get("data");
                print(data, () -> out.println(reply.path("added").asBoolean()
                        ? "imported " + data.path("id").asText() + ": added to agents.json, with its history"
                        : data.path("id").asText() + " was already configured the same way; its history was merged "
                        + "(rows already recorded are kept)"));
                return 0;
            }
            default -> throw new UsageException("unknown command \"" + command + "\"");
        }
    }

    private int status(ApiClient c, List<String> ids) throws CtlException {
        noOptions("status", ids);
        JsonNode data = c.get("/api/spawn/processes").get("data");
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode p : data) {
            if (ids.isEmpty() || ids.contains(p.path("id").asText())) {
                rows.add(p);
            }
        }
        for (String id : ids) {
            if (rows.stream().noneMatch(p -> p.path("id").asText().equals(id))) {
                throw new CtlException("no agent \"" + id + "\"", List.of(), 4);
            }
        }
        if (json) {
            out.print(new String(Json.pretty(Json.MAPPER.valueToTree(rows)), StandardCharsets.UTF_8));
            return 0;
        }
        TextTable t = new TextTable("ID", "STATUS", "HEALTH", "PID", "UPTIME", "CPU", "MEM", "RESTARTS", "MESSAGE");
        for (JsonNode p : rows) {
            JsonNode u = p.path("usage");
            t.row(p.path("id").asText(), p.path("status").asText(), p.path("health").asText(),
                    p.path("pid").isNull() ? "-" : p.path("pid").asText(), uptime(p.path("uptimeMs").asLong()),
                    u.isObject() ? u.path("cpuPercent").asText() + "%" : "-",
                    u.isObject() ? u.path("memoryMb").asText() + " MB" : "-", p.path("restarts").asText(),
                    p.path("message").isNull() ? "" : p.path("message").asText());
        }
        out.print(t.render());
        return 0;
    }

    private int control(ApiClient c, String action, List<String> args) throws CtlException {
        boolean force = args.remove("--force");
        if (force && !action.equals("stop")) {
            throw new UsageException("--force is an option of stop only");
        }
        noOptions(action, args);
        if (args.isEmpty()) {
            throw new UsageException(action + " needs at least one agent id");
        }
        requireKnown(c, args); // act on none when one is unknown
        int failures = 0;
        List<JsonNode> results = new ArrayList<>();
        for (String id : args) {
            try {
                Object body = action.equals("stop") ? Map.of("graceful", !force) : null;
                JsonNode data = c.post("/api/spawn/process/" + enc(id) + "/" + action, body).get("data");
                results.add(data);
                if (!json) {
                    out.println(id + ": " + stateLine(data));
                }
            } catch (CtlException e) {
                failures++;
                err.println("agentdeck ctl: " + action + " " + id + ": " + e.getMessage());
                e.details().forEach(d -> err.println("  - " + d));
                if (args.size() == 1) {
                    return e.exitCode();
                }
            }
        }
        if (json) {
            out.print(new String(Json.pretty(Json.MAPPER.valueToTree(results)), StandardCharsets.UTF_8));
        }
        return failures == 0 ? 0 : 1;
    }

    private int logs(ApiClient c, List<String> args) throws CtlException {
        boolean follow = args.remove("-f") | args.remove("--follow");
        String n = option(args, "-n");
        String level = option(args, "--level");
        noOptions("logs", args);
        if (args.size() != 1) {
            throw new UsageException("logs needs one agent id");
        }
        positive("-n", n);
        if (level != null && !List.of("error", "warn", "warning", "info", "debug").contains(level.toLowerCase(java.util.Locale.ROOT))) {
            throw new UsageException("--level \"" + level + "\" must be error, warn, info or debug");
        }
        requireKnown(c, args);
        String q = "?lines=" + (n == null ? "50" : enc(n)) + (level == null ? "" : "&level=" + enc(level));
        String path = "/api/spawn/process/" + enc(args.get(0)) + "/logs" + q;
        if (!follow) {
            JsonNode data = c.get(path).get("data");
            print(data, () -> data.path("lines").forEach(l -> out.println(logLine(l))));
            return 0;
        }
        c.stream(path + "&follow=true", null, e -> {
            if (e.name().equals("message")) {
                try {
                    JsonNode l = Json.MAPPER.readTree(e.data());
                    out.println(json ? Json.compact(l) : logLine(l));
                } catch (IOException ex) {
                    out.println(e.data());
                }
                out.flush();
            }
            return !out.checkError();
        });
        return 0;
    }

    private int events(ApiClient c, List<String> args) throws CtlException {
        boolean follow = args.remove("-f") | args.remove("--follow");
        String n = option(args, "-n");
        String agent = option(args, "--agent");
        String type = option(args, "--type");
        if (!args.isEmpty()) {
            throw new UsageException("events takes no argument \"" + args.get(0) + "\"");
        }
        int limit = n == null ? 20 : positive("-n", n);
        if (!follow) {
            String q = "?limit=" + limit + (agent == null ? "" : "&agent=" + enc(agent)) + (type == null ? "" : "&type=" + enc(type));
            JsonNode data = c.get("/api/spawn/history/events" + q).get("data");
            List<JsonNode> list = new ArrayList<>();
            data.forEach(list::add);
            java.util.Collections.reverse(list); // oldest first, as a log reads
            if (json) {
                out.print(new String(Json.pretty(Json.MAPPER.valueToTree(list)), StandardCharsets.UTF_8));
            } else {
                list.forEach(e -> out.println(eventLine(e)));
            }
            return 0;
        }
        List<String> types = type == null ? List.of() : List.of(type.split(","));
        // Replay what the engine holds (the last `limit` of it), then follow; reconnect after a drop.
        List<JsonNode> replay = new ArrayList<>();
        boolean[] live = {false};
        String lastId = "0";
        while (true) {
            lastId = c.stream("/api/spawn/events", lastId, e -> {
                if (e.name().equals("live")) {
                    if (!live[0]) {
                        live[0] = true;
                        replay.subList(0, Math.max(0, replay.size() - limit)).clear();
                        replay.forEach(this::printEvent);
                        replay.clear();
                    }
                    return true;
                }
                if (!e.name().equals("message")) {
                    return true;
                }
                JsonNode ev;
                try {
                    ev = Json.MAPPER.readTree(e.data());
                } catch (IOException ex) {
                    return true;
                }
                if ((agent != null && !agent.equals(ev.path("processId").asText(null)))
                        || (!types.isEmpty() && !types.contains(ev.path("type").asText()))) {
                    return true;
                }
                if (live[0]) {
                    printEvent(ev);
                } else {
                    replay.add(ev);
                }
                return !out.checkError();
            });
            if (out.checkError()) {
                return 0;
            }
            try {
                Thread.sleep(1000); // the stream dropped: wait a moment, then resume from the last id
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
    }

    private void printEvent(JsonNode e) {
        out.println(json ? Json.compact(e) : eventLine(e));
        out.flush();
    }

    private static String eventLine(JsonNode e) {
        String agent = e.path("processId").isNull() ? "-" : e.path("processId").asText();
        return e.path("time").asText() + "  " + agent + "  " + e.path("type").asText() + "  " + e.path("message").asText();
    }

    private static String logLine(JsonNode l) {
        return (l.path("stream").asText().equals("err") ? "err| " : "out| ") + l.path("text").asText();
    }

    private static String stateLine(JsonNode p) {
        String s = p.path("status").asText();
        if (!p.path("pid").isNull() && !p.path("pid").isMissingNode()) {
            s += " (PID " + p.path("pid").asText() + ")";
        }
        if (!p.path("message").isNull() && !p.path("message").asText().isEmpty()) {
            s += ": " + p.path("message").asText();
        }
        return s;
    }

    static String uptime(long ms) {
        if (ms <= 0) {
            return "-";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + String.format("%02ds", s % 60);
        }
        if (s < 86_400) {
            return s / 3600 + "h" + String.format("%02dm", s % 3600 / 60);
        }
        return s / 86_400 + "d" + String.format("%02dh", s % 86_400 / 3600);
    }

    private void print(JsonNode data, Runnable human) {
        if (json) {
            out.print(new String(Json.pretty(data), StandardCharsets.UTF_8));
        } else {
            human.run();
        }
    }

    /** Refuses options a command does not have (anything left that starts with "-"). */
    static void noOptions(String command, List<String> args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                throw new UsageException(command + " has no option " + a);
            }
        }
    }

    private static int positive(String option, String value) {
        if (value == null) {
            return 0;
        }
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " \"" + value + "\" must be a whole number above 0");
    }

    /** Fails with exit code 4, before anything is done, when an id is not an agent of the instance. */
    private static void requireKnown(ApiClient c, List<String> ids) throws CtlException {
        List<String> known = new ArrayList<>();
        c.get("/api/spawn/processes").get("data").forEach(p -> known.add(p.path("id").asText()));
        List<String> unknown = ids.stream().filter(id -> !known.contains(id)).toList();
        if (!unknown.isEmpty()) {
            throw new CtlException((unknown.size() == 1 ? "no agent \"" + unknown.get(0) + "\""
                    : "no agents " + String.join(", ", unknown.stream().map(u -> "\"" + u + "\"").toList()))
                    + " (nothing was done)", List.of(), 4);
        }
    }

    /** Why a file operation failed, in words ("no such file", "permission denied"). */
    static String why(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    private static void noArgs(String command, List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException(command + " takes no argument \"" + args.get(0) + "\"");
        }
    }

    static String option(List<String> args, String name) {
        int i = args.indexOf(name);
        if (i < 0) {
            return null;
        }
        if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
