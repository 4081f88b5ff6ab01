package dev.agentdeck.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentdeck.config.AtomicFiles;
import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.FileStamp;
import dev.agentdeck.config.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the demo workspace (the template {@code resources/demo/agents.json}) into a home folder, with
 * {@code ${agentdeck}} replaced by the command that runs this AgentDeck. It rewrites the file when the
 * launcher moved, but only while the user has not edited it: an edited demo is theirs.
 */
public final class DemoWorkspace {
    static final String TEMPLATE = "/dev/agentdeck/demo/workspace/demo/agents.json";
    static final String PLACEHOLDER = "${agentdeck}";
    private static final String STAMP = ".demo-generated";

    private DemoWorkspace() {
    }

    /** Makes sure {@code home} holds a current demo workspace; returns its agents.json. */
    public static Path prepare(Path home) throws IOException {
        Path agents = home.resolve("agents.json");
        Path stamp = home.resolve(STAMP);
        byte[] generated = generate(launcherCommand());
        if (Files.exists(agents)) {
            byte[] current = Files.readAllBytes(agents);
            boolean untouched = Files.exists(stamp)
                    && Files.readString(stamp).trim().equals(FileStamp.of(current).digest());
            if (!untouched || java.util.Arrays.equals(current, generated)) {
                return agents;
            }
        }
        AtomicFiles.write(agents, generated, true);
        AtomicFiles.write(stamp, FileStamp.of(generated).digest().getBytes(StandardCharsets.UTF_8), false);
        return agents;
    }

    /**
     * The argv prefix that runs AgentDeck here: the installed launcher when running from the app image (the command line's, a small JVM),
     * otherwise this JVM with its class path and small-footprint options.
     */
    public static List<String> launcherCommand() {
        java.util.Optional<Path> launcher = dev.agentdeck.os.Launchers.headless();
        if (launcher.isPresent()) {
            return List.of(launcher.get().toString());
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx48m", "-Xss512k",
                "-cp", absoluteClassPath(System.getProperty("java.class.path")), "dev.agentdeck.Main");
    }

    /** The class path with every entry made absolute: demo agents run in the workspace, not where the panel started. */
    static String absoluteClassPath(String classPath) {
        return java.util.Arrays.stream(classPath.split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The demo agents.json with the placeholder filled in. */
    static byte[] generate(List<String> launcher) throws IOException {
        JsonNode root;
        try (InputStream in = DemoWorkspace.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("the demo template " + TEMPLATE + " is missing from this build");
            }
            root = Json.parse(in.readAllBytes(), "demo agents.json");
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (JsonNode agent : root.get("agents")) {
            ObjectNode a = (ObjectNode) agent;
            if (PLACEHOLDER.equals(a.path("command").asText())) {
                a.put("command", launcher.get(0));
                List<String> args = new ArrayList<>(launcher.subList(1, launcher.size()));
                a.path("args").forEach(x -> args.add(x.asText()));
                ArrayNode arr = a.putArray("args");
                args.forEach(arr::add);
            }
        }
        return Json.pretty(root);
    }
}
