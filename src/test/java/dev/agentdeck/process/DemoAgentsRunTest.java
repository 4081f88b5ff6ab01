package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.Health;
import dev.agentdeck.demo.DemoWorkspace;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;


/** The demo workspace as the panel opens it: every demo agent does what the README promises, for real. */
class DemoAgentsRunTest extends EngineTestBase {

    @Test
    void theDemoAgentsServeLogBurnCpuCrashAndDepend() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // not the demo's 8101: the test must not depend on a fixed port
        }
        var root = dev.agentdeck.config.Json.MAPPER.readTree(Files.readString(DemoWorkspace.prepare(tmp.resolve("demo-template")))
                .replace("8101", Integer.toString(port)));
        for (var a : root.get("agents")) {
            var args = (com.fasterxml.jackson.databind.node.ArrayNode) a.get("args");
            for (int i = 0; i + 1 < args.size(); i++) {
                if (args.get(i).asText().equals("--after")) {
                    args.set(i + 1, args.textNode("1")); // the flaky bot crashes after 1 s, not 8
                }
            }
        }
        open(root.toString());
        engine.startAll().get(30, java.util.concurrent.TimeUnit.SECONDS);
        for (AgentStatus s : engine.statuses()) {
            if (s.pid() != null) {
                started.add(s.pid());
            }
        }
        Duration wait = Duration.ofSeconds(20);
        Await.until("web answers its health check", wait, () -> engine.status("web").orElseThrow().health() == Health.HEALTHY);
        Await.until("reporter, which depends on web, runs", wait, () -> engine.status("reporter").orElseThrow().state() == AgentState.RUNNING);
        Await.until("chatty logs at several levels", wait, () -> {
            String out = home.read("logs/chatty.out.log") + home.read("logs/chatty.err.log");
            return out.contains("INFO") && out.contains("WARN") && out.contains("ERROR");
        });
        Await.until("flaky crashed and was restarted", wait, () -> engine.status("flaky").orElseThrow().restarts() >= 1);
        Await.until("cruncher burns CPU", wait, () -> {
            AgentStatus c = engine.status("cruncher").orElseThrow();
            return c.pid() != null && ProcessHandle.of(c.pid()).flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> d.toMillis() > 500).orElse(false);
        });
    }
}
