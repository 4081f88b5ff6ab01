package dev.agentdeck.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadmeSectionTest {
    @TempDir
    Path dir;

    @Test
    void replacesOnlyTheTextBetweenTheMarkers() throws Exception {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Title\n\nbefore\n<!-- peers:begin -->\nold table\nold notes\n<!-- peers:end -->\nafter\n");
        assertTrue(ReadmeSection.replace(readme, "| new | table |\n|---|---|\n\n- a note\n"));
        assertEquals("# Title\n\nbefore\n<!-- peers:begin -->\n| new | table |\n|---|---|\n\n- a note\n<!-- peers:end -->\nafter\n",
                Files.readString(readme));
    }

    @Test
    void leavesAFileWithoutBothMarkersAlone() throws Exception {
        Path readme = dir.resolve("README.md");
        String text = "# Title\n<!-- peers:begin -->\nno end marker\n";
        Files.writeString(readme, text);
        assertFalse(ReadmeSection.replace(readme, "table"));
        assertEquals(text, Files.readString(readme));
        String reversed = "<!-- peers:end -->\nx\n<!-- peers:begin -->\n";
        Files.writeString(readme, reversed);
        assertFalse(ReadmeSection.replace(readme, "table"));
        assertEquals(reversed, Files.readString(readme));
    }
}
