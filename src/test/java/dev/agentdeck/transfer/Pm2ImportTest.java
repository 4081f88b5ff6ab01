package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.LimitAction;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.Signal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.agentdeck.transfer.ImportTestFiles.agent;
import static dev.agentdeck.transfer.ImportTestFiles.describe;
import static dev.agentdeck.transfer.ImportTestFiles.noted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pm2ImportTest {
    private static ImportResult read(String text) {
        return Importers.read(ImportFormat.PM2, text, "ecosystem.config.json");
    }

    @Test
    void anEcosystemFileGivesItsApps() {
        ImportResult r = read(ImportTestFiles.text("ecosystem.config.json"));
        assertTrue(r.clean(), describe(r));
        assertEquals(List.of("api", "thumbnailer", "metrics-exporter"), r.agents().stream().map(AgentSpec::id).toList());

        AgentSpec api = agent(r, "api");
        assertEquals("node", api.command());
        assertEquals(List.of("--max-old-space-size=512", "./dist/server.js", "--port", "3000", "--host", "127.0.0.1"),
                api.args());
        assertEquals("/srv/shop-api", api.cwd());
        assertEquals(4, api.instances());
        assertEquals(RestartPolicy.ALWAYS, api.restart().policy());
        assertEquals(10, api.restart().burst());
        assertEquals(5, api.restart().resetAfterSec());
        assertEquals(100, api.restart().delayMs());
        assertEquals(15_000, api.restart().maxDelayMs());
        assertEquals(Signal.INT, api.stop().signal());
        assertEquals(5, api.stop().timeoutSec());
        assertEquals(300, api.resources().memoryMb());
        assertEquals(LimitAction.RESTART, api.resources().memoryAction());
        assertEquals(List.of("dist", "config"), api.watch());
        assertEquals(Map.of("NODE_ENV", "production", "API_TIMEOUT_MS", "2500", "FEATURE_FLAGS", "search,cart"), api.env());
        assertTrue(api.autostart());

        AgentSpec thumbs = agent(r, "thumbnailer");
        assertEquals("Thumbnailer", thumbs.name());
        assertEquals("python3", thumbs.command());
        assertEquals(List.of("workers/thumbs.py", "--queue", "thumbs", "--size=256x256"), thumbs.args());
        assertEquals(RestartPolicy.NEVER, thumbs.restart().policy());
        assertEquals(3000, thumbs.restart().delayMs());
        assertEquals(3000, thumbs.restart().maxDelayMs());
        assertEquals("0 3 * * *", thumbs.schedule());
        assertEquals(List.of("media"), thumbs.tags());
        assertEquals(1024, thumbs.resources().memoryMb());
        assertEquals(2, thumbs.stop().timeoutSec(), "pm2's kill_timeout default of 1600 ms");

        AgentSpec exporter = agent(r, "metrics-exporter");
        assertEquals("/usr/local/bin/node_exporter", exporter.command());
        assertEquals(List.of("--web.listen-address=:9100", "--collector.textfile.directory=/var/lib/node exporter"),
                exporter.args());
        assertEquals(List.of("."), exporter.watch());
        assertEquals(0, exporter.instances());
    }

    @Test
    void ecosystemSettingsWithoutCounterpartAreNoted() {
        ImportResult r = read(ImportTestFiles.text("ecosystem.config.json"));
        for (String field : List.of("exec_mode", "ignore_watch", "out_file", "error_file", "merge_logs", "env_staging")) {
            assertTrue(noted(r, "api", field), field + "\n" + describe(r));
        }
        for (String field : List.of("instances", "uid", "wait_ready")) {
            assertTrue(noted(r, "metrics-exporter", field), field + "\n" + describe(r));
        }
        assertTrue(noted(r, "", "deploy"));
        assertFalse(noted(r, "api", "autorestart"));
    }

    @Test
    void jlistProcessesBecomeAgentsWithoutPm2sOwnEnvironment() {
        ImportResult r = read(ImportTestFiles.text("pm2-jlist.json"));
        assertTrue(r.clean(), describe(r));
        assertEquals(List.of("api", "mailer"), r.agents().stream().map(AgentSpec::id).toList());

        AgentSpec api = agent(r, "api");
        assertEquals(2, api.instances(), "the two cluster processes of api");
        assertEquals("node", api.command());
        assertEquals(List.of("--max-old-space-size=512", "/srv/shop-api/dist/server.js", "--port", "3000"), api.args());
        assertEquals("/srv/shop-api", api.cwd());
        assertEquals(Map.of("NODE_ENV", "production", "API_TIMEOUT_MS", "2500"), api.env());
        assertEquals(300, api.resources().memoryMb());
        assertEquals(10, api.restart().burst());
        assertEquals(5, api.stop().timeoutSec());
        assertEquals(List.of(), api.tags(), "the default namespace is no tag");
        assertTrue(noted(r, "api", "exec_mode"));
        assertTrue(noted(r, "api", "env"), "what was left out of env is said");

        AgentSpec mailer = agent(r, "mailer");
        assertEquals("python3", mailer.command());
        assertEquals(List.of("/srv/mailer/mailer.py", "--smtp", "localhost:25", "--subject", "Hi; $(whoami) & bye"),
                mailer.args(), "arguments are kept verbatim: there is no shell");
        assertEquals(Map.of("SMTP_USER", "shop", "PYTHONUNBUFFERED", "1"), mailer.env());
        assertEquals(List.of("templates"), mailer.watch());
        assertEquals("*/30 * * * *", mailer.schedule());
        assertEquals(200, mailer.restart().delayMs());
        assertEquals(List.of("jobs"), mailer.tags());

        for (AgentSpec a : r.agents()) {
            for (String noise : List.of("PM2_HOME", "PM2_USAGE", "pm_id", "unique_id", "NODE_APP_INSTANCE", "PATH",
                    "HOME", "api", "mailer", "name", "namespace", "axm_monitor")) {
                assertFalse(a.env().containsKey(noise), a.id() + " has " + noise);
            }
        }
        assertFalse(r.notCarried().stream().anyMatch(n -> n.field().equals("vizion") || n.field().equals("treekill")
                || n.field().equals("kill_retry_time")), "pm2's defaults are no news\n" + describe(r));
    }

    @Test
    void aBareArrayAndScriptsPickTheirInterpreter() {
        ImportResult r = read("""
                [{"script": "bin/start.sh"}, {"name": "ruby", "script": "app.rb", "interpreter": "/usr/bin/ruby3.2",
                  "interpreter_args": "-W0", "autostart": false},
                 {"name": "pyserv", "script": "python3 -m http.server 8000"}]""");
        assertTrue(r.clean(), describe(r));
        AgentSpec start = agent(r, "start");
        assertEquals("bash", start.command());
        assertEquals(List.of("bin/start.sh"), start.args());
        AgentSpec ruby = agent(r, "ruby");
        assertEquals("/usr/bin/ruby3.2", ruby.command());
        assertEquals(List.of("-W0", "app.rb"), ruby.args());
        assertFalse(ruby.autostart());
        AgentSpec py = agent(r, "pyserv");
        assertEquals("python3", py.command());
        assertEquals(List.of("-m", "http.server", "8000"), py.args());
    }

    @Test
    void aPortIsCarriedAsPortAndPortVariable() {
        ImportResult r = read("{\"apps\": [{\"name\": \"web\", \"script\": \"web.js\", \"port\": 8080}]}");
        AgentSpec web = agent(r, "web");
        assertEquals(8080, web.port());
        assertEquals("8080", web.env().get("PORT"));
        assertNull(web.schedule());
    }

    @Test
    void aJavaScriptEcosystemFileIsExplained() {
        ImportResult r = read("module.exports = {\n  apps: [{ name: 'api', script: 'server.js' }]\n};\n");
        assertFalse(r.clean());
        assertTrue(r.problems().get(0).message().contains("pm2 jlist"), describe(r));
    }
}
