package dev.agentdeck.os;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class UserEnvironmentTest {
    private static final String APP = "/opt/agentdeck/bin/AgentDeck";

    @Test
    void theLaunchersMarkAndLibraryFolderAreTakenOut() {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "_JPACKAGE_LAUNCHER", "0",
                "LD_LIBRARY_PATH", ":/opt/agentdeck/lib/app");
        Map<String, String> clean = UserEnvironment.of(env, APP);
        assertEquals(Map.of("PATH", "/usr/bin"), clean);
    }

    @Test
    void theUsersOwnLibraryPathStays() {
        Map<String, String> env = Map.of("_JPACKAGE_LAUNCHER", "0",
                "LD_LIBRARY_PATH", "/home/me/cuda/lib64:/opt/agentdeck/lib/app");
        assertEquals("/home/me/cuda/lib64", UserEnvironment.of(env, APP).get("LD_LIBRARY_PATH"));
        assertFalse(UserEnvironment.of(env, APP).containsKey("_JPACKAGE_LAUNCHER"));
    }

    @Test
    void withoutTheLauncherNothingChanges() {
        Map<String, String> env = Map.of("LD_LIBRARY_PATH", "/opt/agentdeck/lib/app", "X", "1");
        assertSame(env, UserEnvironment.of(env, null));
        assertSame(env, UserEnvironment.of(env, APP)); // no launcher mark: the path is the user's own
    }
}
