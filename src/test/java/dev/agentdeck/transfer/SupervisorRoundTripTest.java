package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.StopSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Supervisor export holds comes back when it is imported: command, args (quoting included), cwd, env,
 * autostart, restart policy and start retries, stop signal and timeout, instances, and tags as groups.
 */
class SupervisorRoundTripTest {
    private static final Path CONFIG_DIR = Path.of("/srv/agents");

    private static List<AgentSpec> agents() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODE", "prod");
        env.put("GREETING", "hello, \"world\" 100%");
        return List.of(
                AgentSpec.builder("api").command("/bin/sleep").args("300", "with space", "it's", "a\"quote")
                        .cwd("/srv/agents/api").env(env).autostart(true)
                        .restart(new RestartSpec(RestartPolicy.ALWAYS, 1000, 60_000, 7, 300, 10))
                        .stop(new StopSpec(Signal.INT, 25)).tags(List.of("front")).build(),
                AgentSpec.builder("worker").command("/bin/sh").args("-c", "echo worker {instance}; exec sleep 300")
                        .cwd("/tmp").instances(3).tags(List.of("batch"))
                        .restart(new RestartSpec(RestartPolicy.ON_FAILURE, 1000, 60_000, 4, 300, 10)).build(),
                AgentSpec.builder("once").command("/bin/true").restart(new RestartSpec(RestartPolicy.NEVER, 1000, 60_000, 5, 300, 10))
                        .build());
    }

    @Test
    void importingWhatAnExportWroteGivesTheSameAgentsBack() {
        List<ExportFile> files = Exporters.write(ExportFormat.SUPERVISOR, agents(), CONFIG_DIR);
        assertEquals(1, files.size());
        ImportResult back = Importers.read(ImportFormat.SUPERVISOR, files.get(0).content(), files.get(0).name());
        assertTrue(back.clean(), back.problems().toString());
        assertEquals(List.of("api", "worker", "once"), back.agents().stream().map(AgentSpec::id).toList());
        for (int i = 0; i < agents().size(); i++) {
            AgentSpec want = agents().get(i);
            AgentSpec got = back.agents().get(i);
            String who = want.id() + ": ";
            assertEquals(want.command(), got.command(), who + "command");
            assertEquals(want.args(), got.args(), who + "args");
            // an agent without a cwd runs in the config folder, which the export names
            assertEquals(want.cwd() == null ? CONFIG_DIR.toString() : want.cwd(), got.cwd(), who + "cwd");
            assertEquals(want.env(), got.env(), who + "env");
            assertEquals(want.autostart(), got.autostart(), who + "autostart");
            assertEquals(want.restart().policy(), got.restart().policy(), who + "restart policy");
            if (want.restart().policy() != RestartPolicy.NEVER) { // never restarted: supervisord writes no retries to count
                assertEquals(want.restart().burst(), got.restart().burst(), who + "start retries");
            }
            assertEquals(want.stop(), got.stop(), who + "stop");
            assertEquals(want.instances(), got.instances(), who + "instances");
            assertEquals(want.tags(), got.tags(), who + "tags (groups)");
        }
    }
}
