package dev.agentdeck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.cli.CtlCommand.UsageException;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.transfer.ExportFormat;
import dev.agentdeck.transfer.ImportFormat;
import dev.agentdeck.transfer.ImportResult;
import dev.agentdeck.transfer.Importers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ctl} commands that move agent definitions: templates ({@code templates}, {@code new},
 * {@code save-template}), {@code scale}, {@code group}, importing other managers' files and exporting to them.
 */
final class TransferCommands {
    private static final long MAX_IMPORT_BYTES = 5L << 20;
    private final PrintStream out;
    private final boolean json;

    TransferCommands(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
    }

    int run(ApiClient c, String command, List<String> args) throws CtlException {
        return switch (command) {
            case "templates" -> templates(c, args);
            case "new" -> fromTemplate(c, args);
            case "save-template" -> saveTemplate(c, args);
            case "scale" -> scale(c, args);
            case "group" -> group(c, args);
            default -> throw new UsageException("unknown command \"" + command + "\"");
        };
    }

    private int templates(ApiClient c, List<String> args) throws CtlException {
        CtlCommand.noOptions("templates", args);
        if (!args.isEmpty()) {
            throw new UsageException("templates takes no argument \"" + args.get(0) + "\"");
        }
        JsonNode reply = c.get("/api/spawn/templates");
        if (json) {
            return print(reply);
        }
        TextTable t = new TextTable("ID", "NAME", "KIND", "DESCRIPTION");
        reply.path("data").forEach(x -> t.row(x.path("id").asText(), x.path("name").asText(),
                x.path("builtIn").asBoolean() ? "built-in" : "yours", x.path("description").asText()));
        out.print(t.render());
        reply.path("problems").forEach(p -> out.println("not loaded: " + p.asText()));
        return 0;
    }

    private int fromTemplate(ApiClient c, List<String> args) throws CtlException {
        ObjectNode overrides = Json.MAPPER.createObjectNode();
        String set;
        while ((set = CtlCommand.option(args, "--set")) != null) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set \"" + set + "\" must be FIELD=VALUE, e.g. --set port=9000 or --set env.MODE=dev");
            }
            put(overrides, set.substring(0, eq), set.substring(eq + 1));
        }
        CtlCommand.noOptions("new", args);
        if (args.size() != 2) {
            throw new UsageException("new needs a template id and the new agent's id, e.g. new python-script my-bot");
        }
        overrides.put("id", args.get(1));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("templateId", args.get(0));
        body.put("overrides", overrides);
        JsonNode reply = c.post("/api/spawn/from-template", body);
        if (json) {
            return print(reply.path("data"));
        }
        out.println("added " + args.get(1) + " from template " + args.get(0) + " and started it");
        reply.path("notes").forEach(n -> out.println("note: " + n.asText()));
        return 0;
    }

    /** FIELD=VALUE into the overrides: a dotted field goes into objects, a value that reads as JSON is that JSON. */
    private static void put(ObjectNode root, String field, String value) {
        String[] path = field.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < path.length - 1; i++) {
            at = at.has(path[i]) && at.get(path[i]).isObject() ? (ObjectNode) at.get(path[i]) : at.putObject(path[i]);
        }
        String last = path[path.length - 1];
        boolean envValue = path.length > 1 && path[0].equals("env");
        JsonNode parsed = null;
        if (!envValue) {
            try {
                parsed = Json.MAPPER.readTree(value);
            } catch (JsonProcessingException e) {
                parsed = null;
            }
        }
        if (parsed != null && !parsed.isMissingNode()) {
            at.set(last, parsed);
        } else {
            at.put(last, value);
        }
    }

    private int saveTemplate(ApiClient c, List<String> args) throws CtlException {
        String name = CtlCommand.option(args, "--name");
        String description = CtlCommand.option(args, "--description");
        CtlCommand.noOptions("save-template", args);
        if (args.size() != 2) {
            throw new UsageException("save-template needs an agent id and the template's id, e.g. save-template web my-web");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", args.get(0));
        body.put("templateId", args.get(1));
        body.put("name", name);
        body.put("description", description);
        JsonNode data = c.post("/api/deck/templates", body).path("data");
        if (json) {
            return print(data);
        }
        out.println("saved " + args.get(0) + " as template " + args.get(1) + "; make agents from it with: ctl new "
                + args.get(1) + " NEW-ID");
        return 0;
    }

    private int scale(ApiClient c, List<String> args) throws CtlException {
        CtlCommand.noOptions("scale", args);
        if (args.size() != 2) {
            throw new UsageException("scale needs an agent id and a number of instances, e.g. scale web 3");
        }
        int n;
        try {
            n = Integer.parseInt(args.get(1));
        } catch (NumberFormatException e) {
            throw new UsageException("scale: \"" + args.get(1) + "\" is not a number of instances");
        }
        JsonNode data = c.post("/api/spawn/process/" + CtlCommand.enc(args.get(0)) + "/scale", Map.of("instances", n)).path("data");
        if (json) {
            return print(data);
        }
        List<String> ids = new ArrayList<>();
        (data.isArray() ? data : List.of(data)).forEach(p -> ids.add(p.path("id").asText() + " (" + p.path("status").asText() + ")"));
        out.println(args.get(0) + " runs as " + n + " instance" + (n == 1 ? "" : "s") + ": " + String.join(", ", ids));
        return 0;
    }

    private int group(ApiClient c, List<String> args) throws CtlException {
        CtlCommand.noOptions("group", args);
        if (args.size() != 2 || !List.of("start", "stop", "restart").contains(args.get(0))) {
            throw new UsageException("group needs start, stop or restart and a tag, e.g. group restart workers");
        }
        JsonNode data = c.post("/api/spawn/groups/" + CtlCommand.enc(args.get(1)) + "/" + args.get(0), null).path("data");
        if (json) {
            return print(data);
        }
        boolean ok = true;
        for (JsonNode i : data.path("items")) {
            ok &= i.path("ok").asBoolean();
            out.println(i.path("id").asText() + ": " + i.path("state").asText().toLowerCase()
                    + (i.path("message").isNull() || i.path("message").isMissingNode() ? "" : " (" + i.path("message").asText() + ")"));
        }
        return ok ? 0 : 1;
    }

    /** Whether a file is an AgentDeck export (agent and history), which {@code import} reads as before. */
    static boolean isAgentDeckExport(String file) {
        try {
            Path p = Path.of(file);
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_IMPORT_BYTES) {
                return false;
            }
            JsonNode n = Json.MAPPER.readTree(Files.readAllBytes(p));
            return n != null && n.isObject() && n.has("agentId") && n.has("spec");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Reads another manager's file, prints the preview, and adds its agents unless it has problems (or --dry-run). */
    int importFile(ApiClient c, List<String> args) throws CtlException {
        String formatName = CtlCommand.option(args, "--format");
        boolean dryRun = args.remove("--dry-run");
        boolean accept = args.remove("--accept-problems");
        CtlCommand.noOptions("import", args);
        if (args.size() != 1) {
            throw new UsageException("import needs one file");
        }
        Path file = Path.of(args.get(0));
        String text = read(file);
        ImportFormat format = formatName == null ? Importers.detect(file.getFileName().toString(), text) : ImportFormat.parse(formatName);
        if (format == null) {
            throw new UsageException(formatName == null ? "cannot tell what kind of file " + file + " is; give --format "
                    + "supervisor, pm2, process-compose or procfile" : "--format \"" + formatName
                    + "\" must be supervisor, pm2, process-compose or procfile");
        }
        ImportResult r = Importers.read(format, text, file.toString()).relativeTo(file.toAbsolutePath().getParent());
        preview(r);
        if (r.agents().isEmpty()) {
            throw new CtlException("nothing to import from " + file + (r.clean() ? "" : ": every entry has a problem"));
        }
        if (!r.clean() && !accept) {
            throw new CtlException(file + " has " + r.problems().size() + " problem(s); nothing was imported. Fix the file, or "
                    + "add --accept-problems to import the " + r.agents().size() + " agent(s) that could be read", List.of(), 1);
        }
        if (dryRun) {
            out.println("dry run: nothing was imported");
            return 0;
        }
        String body;
        try {
            body = Json.WIRE.writeValueAsString(r.agents());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        JsonNode data = c.post("/api/deck/agents/batch", body).path("data");
        if (json) {
            return print(data);
        }
        out.println("imported " + r.agents().size() + " agent(s) into agents.json: "
                + String.join(", ", r.agents().stream().map(AgentSpec::id).toList()) + " (none started)");
        return 0;
    }

    private static String read(Path file) throws CtlException {
        try {
            if (Files.size(file) > MAX_IMPORT_BYTES) {
                throw new CtlException(file + " is larger than 5 MB; that is not an agent definition file");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CtlException(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new CtlException("cannot read " + file + ": " + CtlCommand.why(e));
        }
    }

    private void preview(ImportResult r) {
        PrintStream to = json ? System.err : out;
        to.println(r.format().label() + ": " + r.agents().size() + " agent(s) can be imported");
        if (!r.agents().isEmpty()) {
            TextTable t = new TextTable("ID", "COMMAND", "CWD", "INSTANCES", "RESTART");
            r.agents().forEach(a -> t.row(a.id(), String.join(" ", a.command() == null ? List.of() : List.of(a.command()))
                    + (a.args().isEmpty() ? "" : " " + String.join(" ", a.args())), a.cwd() == null ? "-" : a.cwd(),
                    a.instanced() ? Integer.toString(a.instances()) : "-", a.restart().policy().wireName()));
            to.print(t.render());
        }
        if (!r.notCarried().isEmpty()) {
            to.println("not carried over:");
            r.notCarried().forEach(n -> to.println("  " + n));
        }
        if (!r.problems().isEmpty()) {
            to.println("problems (these entries are left out):");
            r.problems().forEach(p -> to.println("  " + p));
        }
    }

    /** {@code export --format F [ID...] [-o DIR]}. */
    int export(ApiClient c, List<String> args) throws CtlException {
        String formatName = CtlCommand.option(args, "--format");
        String dir = CtlCommand.option(args, "-o");
        boolean force = args.remove("--force");
        CtlCommand.noOptions("export", args);
        ExportFormat format = ExportFormat.parse(formatName);
        if (format == null) {
            throw new UsageException("--format \"" + formatName + "\" must be systemd, supervisor, compose or kubernetes");
        }
        JsonNode files = c.get("/api/deck/export-as?format=" + format.wireName()
                + (args.isEmpty() ? "" : "&ids=" + CtlCommand.enc(String.join(",", args)))).path("data");
        if (dir == null) {
            if (json) {
                return print(files);
            }
            boolean several = files.size() > 1;
            files.forEach(f -> {
                if (several) {
                    out.println("# ==> " + f.path("name").asText() + " <==");
                }
                out.print(f.path("content").asText());
            });
            return 0;
        }
        return write(files, Path.of(dir), force);
    }

    private int write(JsonNode files, Path dir, boolean force) throws CtlException {
        List<String> existing = new ArrayList<>();
        files.forEach(f -> {
            if (Files.exists(dir.resolve(f.path("name").asText()))) {
                existing.add(f.path("name").asText());
            }
        });
        if (!existing.isEmpty() && !force) {
            throw new CtlException("not exported: " + String.join(", ", existing) + " already exist in " + dir
                    + " (add --force to replace them)");
        }
        try {
            Files.createDirectories(dir);
            for (JsonNode f : files) {
                String name = f.path("name").asText();
                if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                    throw new CtlException("the engine sent a file name that is not a plain name: \"" + name + "\"");
                }
                AtomicFiles.write(dir.resolve(name), f.path("content").asText().getBytes(StandardCharsets.UTF_8), false);
                if (!json) {
                    out.println("wrote " + dir.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new CtlException("cannot write into " + dir + ": " + CtlCommand.why(e));
        }
        return json ? print(files) : 0;
    }

    private int print(JsonNode data) {
        out.print(new String(Json.pretty(data), StandardCharsets.UTF_8));
        return 0;
    }
}
