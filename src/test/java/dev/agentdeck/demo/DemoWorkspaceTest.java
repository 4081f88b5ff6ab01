package dev.agentdeck.demo;

import dev.agentdeck.app.OpenedWorkspace;
import dev.agentdeck.config.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The first run opens the demo workspace beside the user's, never in place of it. */
class DemoWorkspaceTest {
    @TempDir
    Path tmp;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_DATA_HOME", tmp.resolve("data").toString());
    }

    @Test
    void withoutAgentsOfTheirOwnTheUserGetsTheDemoWithThisLauncherFilledIn() throws Exception {
        OpenedWorkspace opened = OpenedWorkspace.choose(null, env());
        assertTrue(opened.demo());
        Path demo = tmp.resolve("data/agentdeck/demo/agents.json");
        assertEquals(demo, opened.workspace().agentsFile());
        var agents = Json.MAPPER.readTree(Files.readString(demo)).get("agents");
        assertEquals(5, agents.size());
        for (var a : agents) {
            assertFalse(a.get("command").asText().contains("${agentdeck}"), a.toString());
            assertTrue(a.get("args").toString().contains("demo-agent"), a.toString());
        }
        assertFalse(Files.exists(tmp.resolve("config/agentdeck/agents.json")), "nothing is written where the user's agents go");
    }

    @Test
    void theUsersOwnAgentsJsonIsOpenedAndLeftByteForByte() throws Exception {
        Path mine = tmp.resolve("config/agentdeck/agents.json");
        Files.createDirectories(mine.getParent());
        byte[] text = "{\"version\": 1, \"agents\": []}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(mine, text);
        OpenedWorkspace opened = OpenedWorkspace.choose(null, env());
        assertFalse(opened.demo());
        assertEquals(mine, opened.workspace().agentsFile());
        assertArrayEquals(text, Files.readAllBytes(mine));
        assertFalse(Files.exists(tmp.resolve("data/agentdeck/demo")), "no demo when the user has agents");
    }

    @Test
    void aDemoTheUserEditedIsTheirsAndNeverRewritten() throws Exception {
        Path home = tmp.resolve("demo");
        Path agents = DemoWorkspace.prepare(home);
        String edited = Files.readString(agents).replace("Chatty worker", "My chatty worker");
        Files.writeString(agents, edited);
        DemoWorkspace.prepare(home);
        assertEquals(edited, Files.readString(agents));
    }

    @Test
    void anUntouchedDemoFollowsTheLauncherWhenItMoved() throws Exception {
        Path home = tmp.resolve("demo");
        Path agents = DemoWorkspace.prepare(home);
        String stale = Files.readString(agents).replace(DemoWorkspace.launcherCommand().get(0), "/old/place/AgentDeck");
        Files.writeString(agents, stale);
        // written by an older launcher: stamp it as generated, as prepare() would have
        Files.writeString(home.resolve(".demo-generated"), dev.agentdeck.config.FileStamp.of(stale.getBytes(StandardCharsets.UTF_8)).digest());
        DemoWorkspace.prepare(home);
        assertTrue(Files.readString(agents).contains(DemoWorkspace.launcherCommand().get(0)));
        assertFalse(Files.readString(agents).contains("/old/place/AgentDeck"));
    }
}
