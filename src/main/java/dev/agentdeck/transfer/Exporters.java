package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.transfer.exports.ComposeExport;
import dev.agentdeck.transfer.exports.ExportContext;
import dev.agentdeck.transfer.exports.KubernetesExport;
import dev.agentdeck.transfer.exports.SupervisorExport;
import dev.agentdeck.transfer.exports.SystemdExport;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes agents.json entries (a definition with instances is one entry) in the form of another process manager.
 * Every file starts with a comment listing, per agent, what did not map and why. Secret-looking env values are
 * never written: each format refers to them instead (an env file, an environment reference, a Secret).
 */
public final class Exporters {
    private Exporters() {
    }

    /** Exports with relative cwd and envFile resolved against the current directory. */
    public static List<ExportFile> write(ExportFormat format, List<AgentSpec> definitions) {
        return write(format, definitions, Path.of("").toAbsolutePath());
    }

    /** Exports with relative cwd and envFile resolved against {@code configDir}, as the engine resolves them. */
    public static List<ExportFile> write(ExportFormat format, List<AgentSpec> definitions, Path configDir) {
        return write(format, definitions, ExportContext.of(configDir));
    }

    /** Exports in a given context (config folder, home, PATH). */
    public static List<ExportFile> write(ExportFormat format, List<AgentSpec> definitions, ExportContext ctx) {
        return switch (format) {
            case SYSTEMD -> SystemdExport.write(definitions, ctx);
            case SUPERVISOR -> List.of(SupervisorExport.write(definitions, ctx));
            case COMPOSE -> List.of(ComposeExport.write(definitions, ctx));
            case KUBERNETES -> List.of(KubernetesExport.write(definitions, ctx));
        };
    }
}
