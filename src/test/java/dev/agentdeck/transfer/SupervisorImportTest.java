package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
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

class SupervisorImportTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/home/ada", "LOGLEVEL", "debug");

    private static ImportResult read(String text) {
        return Importers.read(ImportFormat.SUPERVISOR, text, "/etc/supervisor/supervisord.conf", ENV);
    }

    @Test
    void aRealConfigGivesItsProgramsWithTheirSettings() {
        ImportResult r = read(ImportTestFiles.text("supervisord.conf"));
        assertTrue(r.clean(), describe(r));
        assertEquals(List.of("web", "worker", "cron-ish"), r.agents().stream().map(AgentSpec::id).toList());

        AgentSpec web = agent(r, "web");
        assertEquals("/srv/shop/venv/bin/gunicorn", web.command());
        assertEquals(List.of("shop.wsgi:application", "--bind", "127.0.0.1:80{instance}", "--workers", "2", "--name",
                "shop web {instance}"), web.args());
        assertEquals(2, web.instances());
        assertEquals("/srv/shop", web.cwd());
        assertTrue(web.autostart());
        assertEquals(RestartPolicy.ALWAYS, web.restart().policy());
        assertEquals(List.of("shop"), web.tags());
        assertEquals(Map.of("APP_ENV", "production", "TZ", "UTC"), web.env());

        AgentSpec worker = agent(r, "worker");
        assertEquals("/srv/shop/venv/bin/celery", worker.command());
        assertEquals(List.of("-A", "shop", "worker", "-Q", "default,mail", "--loglevel=INFO"), worker.args());
        assertEquals("/etc/supervisor/shop", worker.cwd());
        assertEquals("shop.settings.prod", worker.env().get("DJANGO_SETTINGS_MODULE"));
        assertEquals("redis://127.0.0.1:6379/0", worker.env().get("BROKER_URL"));
        assertEquals("hello, world", worker.env().get("GREETING"));
        assertEquals("4", worker.env().get("WORKERS"));
        assertEquals("production", worker.env().get("APP_ENV"));
        assertEquals(Signal.INT, worker.stop().signal());
        assertEquals(600, worker.stop().timeoutSec());
        assertEquals(RestartPolicy.ON_FAILURE, worker.restart().policy());
        assertEquals(6, worker.restart().burst(), "5 retries after the first start");
        assertEquals(10, worker.restart().resetAfterSec());
        assertEquals(0, worker.instances());
        assertEquals(List.of("shop"), worker.tags());

        AgentSpec cron = agent(r, "cron-ish");
        assertEquals("/bin/sh", cron.command());
        assertEquals(List.of("-c", "while true; do /srv/shop/venv/bin/python manage.py clearsessions; sleep 3600; done"),
                cron.args());
        assertFalse(cron.autostart());
        assertEquals(RestartPolicy.NEVER, cron.restart().policy());
        assertEquals(List.of(), cron.tags());
    }

    @Test
    void whatIsNotCarriedIsNotedWithWhy() {
        ImportResult r = read(ImportTestFiles.text("supervisord.conf"));
        for (String field : List.of("process_name", "process_num", "user", "stdout_logfile", "redirect_stderr")) {
            assertTrue(noted(r, "web", field), field + "\n" + describe(r));
        }
        for (String field : List.of("stopasgroup", "killasgroup", "priority", "exitcodes")) {
            assertTrue(noted(r, "worker", field), field + "\n" + describe(r));
        }
        assertTrue(noted(r, "cron-ish", "stdout_logfile"));
        assertTrue(noted(r, "cron-ish", "umask"));
        assertFalse(noted(r, "web", "numprocs_start"), "numprocs_start=1 counts as {instance} does");
        assertTrue(r.notCarried().stream().anyMatch(n -> n.agent().isEmpty() && n.field().contains("[supervisord]")
                && n.field().contains("[unix_http_server]") && n.field().contains("[rpcinterface:supervisor]")));
        assertTrue(r.notCarried().stream().anyMatch(n -> n.field().equals("[group:shop] priority")));
        assertTrue(r.notCarried().stream().filter(n -> n.field().equals("stopasgroup")).allMatch(
                n -> n.reason().contains("whole process tree")));
    }

    @Test
    void processNumCountsFromNumprocsStartAndIsOffsetNoted() {
        ImportResult r = read("[program:q]\ncommand=worker --slot %(process_num)d --log %(ENV_LOGLEVEL)s\nnumprocs=3\n");
        AgentSpec q = agent(r, "q");
        assertEquals(List.of("--slot", "{instance}", "--log", "debug"), q.args());
        assertEquals(3, q.instances());
        assertTrue(noted(r, "q", "numprocs_start"), describe(r));
        assertTrue(noted(r, "q", "command"), "ENV expansion is noted\n" + describe(r));

        ImportResult single = read("[program:one]\ncommand=worker --slot %(process_num)d %(program_name)s 100%%\n");
        assertEquals(List.of("--slot", "0", "one", "100%"), agent(single, "one").args());
        assertEquals(0, agent(single, "one").instances());
    }

    @Test
    void iniDetailsAsConfigParserReadsThem() {
        String conf = """
                # a comment
                [program:Api Server]
                COMMAND = /usr/bin/api --flag=a;b --x "y z" # kept-less comment
                autostart: no
                directory=/srv/api
                ; full-line comment between settings
                stopsignal=SIGHUP
                """;
        ImportResult r = read(conf);
        AgentSpec api = agent(r, "api-server");
        assertEquals("Api Server", api.name());
        assertEquals(List.of("--flag=a;b", "--x", "y z"), api.args());
        assertFalse(api.autostart());
        assertEquals(Signal.HUP, api.stop().signal());
        assertTrue(noted(r, "api-server", "id"));
        assertTrue(r.clean(), describe(r));
    }

    @Test
    void unknownSettingsAreNoted() {
        ImportResult r = read("[program:a]\ncommand=/bin/a\nflavour=vanilla\n");
        assertTrue(noted(r, "a", "flavour"));
        assertNull(agent(r, "a").cwd());
    }
}
