package dev.agentdeck.app;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The panel's own flags, before or after gui, and the class-data archive's place. */
class PanelOptionsTest {

    @Test
    void flagsBeforeOrAfterGuiReachThePanel() {
        CommandLine before = CommandLine.parse("--headless", "--smoke-test");
        assertEquals("gui", before.command());
        assertEquals(new PanelOptions(true, false, true), PanelOptions.parse(before.rest()));

        CommandLine after = CommandLine.parse("--home", "/tmp/x", "gui", "--measure-startup", "--api-port", "0");
        PanelOptions o = PanelOptions.parse(after.rest());
        assertTrue(o.measureStartup());
        assertTrue(o.ends());
        assertEquals(0, after.api().port());
        assertFalse(PanelOptions.parse(CommandLine.parse().rest()).ends());
    }

    @Test
    void aPanelFlagWithAnotherCommandOrAnUnknownOneIsAnErrorNamingIt() {
        var serve = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--smoke-test", "serve"));
        assertTrue(serve.getMessage().contains("--smoke-test") && serve.getMessage().contains("serve"), serve.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> PanelOptions.parse(List.of("--smoke")));
        assertTrue(unknown.getMessage().contains("--smoke"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PanelOptions.parse(List.of("--smoke-test", "--measure-startup")));
    }

    @Test
    void theArchiveGoesBesideAgentdeckJar() {
        String cp = String.join(java.io.File.pathSeparator, "/opt/agentdeck/lib/app/lib/jackson-core.jar",
                "/opt/agentdeck/lib/app/agentdeck.jar");
        assertEquals(Optional.of(java.nio.file.Path.of("/opt/agentdeck/lib/app")), ClassDataArchive.appDir(cp));
        assertEquals(Optional.empty(), ClassDataArchive.appDir("/x/classes"));
    }
}
