package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;

import java.nio.file.Path;
import java.util.List;

/** Writes agent definitions in the forms of other managers. */
public final class Exporters {
    private Exporters() {
    }

    public static List<ExportFile> write(ExportFormat format, List<AgentSpec> definitions, Path configDir) {
        throw new UnsupportedOperationException("exporters are being written on branch h-export");
    }
}
