package dev.agentdeck.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkspaceTest {
    private final Path home = Path.of("/home/ada");

    @Test
    void linuxUsesXdgFoldersOrTheirDefaults() {
        Workspace w = Workspace.platformDefault(Map.of(), "Linux", home);
        assertEquals(Path.of("/home/ada/.config/agentdeck/agents.json"), w.agentsFile());
        assertEquals(Path.of("/home/ada/.local/share/agentdeck/history.db"), w.historyDb());
        assertEquals(Path.of("/home/ada/.local/share/agentdeck/run"), w.runDir());

        Workspace x = Workspace.platformDefault(Map.of("XDG_CONFIG_HOME", "/cfg", "XDG_DATA_HOME", "/data"), "Linux", home);
        assertEquals(Path.of("/cfg/agentdeck/settings.json"), x.settingsFile());
        assertEquals(Path.of("/data/agentdeck/logs"), x.logsDir());
    }

    @Test
    void relativeXdgValuesAreIgnoredAsTheSpecSays() {
        Workspace w = Workspace.platformDefault(Map.of("XDG_CONFIG_HOME", "relative/cfg"), "Linux", home);
        assertEquals(Path.of("/home/ada/.config/agentdeck"), w.configDir());
    }

    @Test
    void homeArgumentWinsOverEnvironmentAndPutsEverythingFlat() {
        Workspace w = Workspace.resolve("/tmp/h1", Map.of(Workspace.HOME_ENV, "/tmp/h2"));
        assertEquals(Path.of("/tmp/h1/agents.json"), w.agentsFile());
        assertEquals(Path.of("/tmp/h1/api.token"), w.apiToken());
        assertTrue(w.flat());
        assertEquals(Path.of("/tmp/h2/history.db"), Workspace.resolve(null, Map.of(Workspace.HOME_ENV, "/tmp/h2")).historyDb());
    }

    @Test
    void macAndWindowsHaveTheirOwnFolders() {
        assertEquals(Path.of("/home/ada/Library/Application Support/AgentDeck/agents.json"),
                Workspace.platformDefault(Map.of(), "Mac OS X", home).agentsFile());
        Workspace win = Workspace.platformDefault(Map.of("APPDATA", "/r", "LOCALAPPDATA", "/l"), "Windows 11", home);
        assertEquals(Path.of("/r/AgentDeck/agents.json"), win.agentsFile());
        assertEquals(Path.of("/l/AgentDeck/logs"), win.logsDir());
    }
}
