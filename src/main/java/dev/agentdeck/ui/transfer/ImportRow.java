package dev.agentdeck.ui.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.ui.editor.ArgsLine;

import java.util.ArrayList;
import java.util.List;

/** One agent an import would add, as the preview's table shows it. */
public record ImportRow(String id, String command, String cwd, String instances, String restart, String health) {

    static ImportRow of(AgentSpec s) {
        List<String> line = new ArrayList<>();
        line.add(s.command() == null ? "" : s.command());
        line.addAll(s.args());
        return new ImportRow(s.id(), ArgsLine.join(line), s.cwd() == null ? "" : s.cwd(),
                s.instanced() ? String.valueOf(s.instances()) : "", s.restart().policy().wireName(), health(s.healthCheck()));
    }

    private static String health(HealthCheckSpec h) {
        if (h instanceof HealthCheckSpec.Http http) {
            return "http " + http.endpoint();
        } else if (h instanceof HealthCheckSpec.Tcp tcp) {
            return "tcp " + tcp.host() + (tcp.port() == null ? "" : ":" + tcp.port());
        } else if (h instanceof HealthCheckSpec.Command c) {
            return "command " + ArgsLine.join(c.command());
        }
        return "";
    }
}
