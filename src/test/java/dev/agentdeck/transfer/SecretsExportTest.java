package dev.agentdeck.transfer;

import dev.agentdeck.core.Secrets;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsExportTest {
    @Test
    void noFormatWritesASecretValueOrTheMask() {
        for (ExportFormat f : ExportFormat.values()) {
            String all = ExportSamples.all(Exporters.write(f, ExportSamples.definitions(),
                    ExportSamples.context(Path.of("/work/cfg"))));
            assertFalse(all.contains(ExportSamples.SECRET), f + " wrote the secret");
            assertFalse(all.contains(Secrets.MASK), f + " wrote the mask as a value");
            assertTrue(all.contains("API_TOKEN"), f + " names the secret variable");
        }
    }
}
