package dev.agentdeck.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.SpecValidator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Agent templates: the built-in ones, and the user's own as JSON files in {@code templates/} of the config
 * folder ({@code {"id", "name", "description", "agent": {...}}}, the agent as agents.json holds it, without an
 * id). Each is validated like an agent; a broken file is reported and left out, never rewritten.
 */
public final class Templates {
    private static final Set<String> FIELDS = Set.of("id", "name", "description", "agent");

    /** One template; {@code agent} is a partial agent object. */
    public record Template(String id, String name, String description, ObjectNode agent, boolean builtIn) {
    }

    /** The templates that could be read, and what was wrong with the others. */
    public record Loaded(List<Template> templates, List<Problem> problems) {
        public Template find(String id) {
            return templates.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
        }
    }

    private Templates() {
    }

    /** The folder of the user's templates. */
    public static Path userDir(Workspace ws) {
        return ws.configDir().resolve("templates");
    }

    public static Loaded load(Workspace ws) {
        List<Template> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (InputStream in = Templates.class.getResourceAsStream("templates.json")) {
            JsonNode list = Json.parse(in.readAllBytes(), "built-in templates");
            for (JsonNode n : list) {
                out.add(read(n, "built-in template", true, problems));
            }
        } catch (IOException | ConfigException e) {
            throw new IllegalStateException("the built-in templates cannot be read", e);
        }
        Path dir = userDir(ws);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    try {
                        Template t = read(Json.parse(Files.readAllBytes(f), f.toString()), f.toString(), false, problems);
                        if (t != null) {
                            out.removeIf(o -> o.id().equals(t.id()));
                            out.add(t);
                        }
                    } catch (ConfigException e) {
                        problems.addAll(e.problems());
                    } catch (IOException e) {
                        problems.add(new Problem(f.toString(), "cannot be read: " + e.getMessage()));
                    }
                }
            } catch (IOException e) {
                problems.add(new Problem(dir.toString(), "cannot be listed: " + e.getMessage()));
            }
        }
        out.removeIf(java.util.Objects::isNull);
        return new Loaded(List.copyOf(out), List.copyOf(problems));
    }

    /**
     * Writes {@code definition} (as agents.json holds it, without its id) as the user template {@code id}, replacing
     * a user template of that id; the file is written whole or not at all. Secret values stay in agents.json: the
     * template holds them masked ({@link MaskedEnv}), and an agent made from it is refused until they are given.
     */
    public static Template save(Workspace ws, String id, String name, String description, AgentSpec definition)
            throws IOException {
        if (id == null || !SpecValidator.ID.matcher(id).matches()) {
            throw new EngineException(ErrorCode.INVALID, "template id \"" + SpecValidator.printable(String.valueOf(id))
                    + "\" must match [a-z0-9][a-z0-9._-]{0,63}");
        }
        ObjectNode agent = MaskedEnv.mask(ConfigWriter.agent(definition));
        agent.remove("id");
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("id", id);
        doc.put("name", name == null || name.isBlank() ? id : name);
        doc.put("description", description == null ? "" : description);
        doc.set("agent", agent);
        PrivateFiles.createDirectories(userDir(ws));
        AtomicFiles.write(userDir(ws).resolve(id + ".json"), Json.pretty(doc), true);
        return new Template(id, doc.get("name").asText(), doc.get("description").asText(), agent, false);
    }

    private static Template read(JsonNode n, String where, boolean builtIn, List<Problem> problems) {
        List<Problem> mine = new ArrayList<>();
        if (!n.isObject()) {
            problems.add(new Problem(where, "a template must be an object {\"id\", \"name\", \"description\", \"agent\"}"));
            return null;
        }
        JsonFields f = new JsonFields(n, where, "", mine, FIELDS);
        String id = f.text("id");
        if (id == null || id.isBlank()) {
            f.problem("id is required");
        }
        JsonNode agent = f.object("agent");
        if (agent == null) {
            f.problem("agent is required: the agent as agents.json holds it, without an id");
        } else if (id != null) {
            ObjectNode withId = ((ObjectNode) agent).deepCopy();
            if (!withId.has("id")) {
                withId.put("id", id);
            }
            try {
                ConfigReader.readOne(withId, where);
            } catch (ConfigException e) {
                mine.addAll(e.problems());
            }
        }
        String name = f.text("name");
        String description = f.text("description");
        if (!mine.isEmpty()) {
            problems.addAll(mine);
            return null;
        }
        ObjectNode a = ((ObjectNode) agent).deepCopy();
        a.remove("id");
        return new Template(id, name == null ? id : name, description == null ? "" : description, a, builtIn);
    }
}
