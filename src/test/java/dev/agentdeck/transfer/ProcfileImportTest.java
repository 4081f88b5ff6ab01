package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.agentdeck.transfer.ImportTestFiles.agent;
import static dev.agentdeck.transfer.ImportTestFiles.describe;
import static dev.agentdeck.transfer.ImportTestFiles.noted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcfileImportTest {
    private static final String PROCFILE = """
            # Procfile for the shop
            web: bundle exec puma -p $PORT -C config/puma.rb
            worker: bundle exec sidekiq -q default -q mailers
            Clock_Tick: bin/clock --every 60

            release: bin/rails db:migrate && bin/rails assets:precompile
            """;

    @Test
    void processesBecomeAgents() {
        ImportResult r = Importers.read(ImportFormat.PROCFILE, PROCFILE, "Procfile");
        assertTrue(r.clean(), describe(r));
        assertEquals(List.of("web", "worker", "clock_tick", "release"), r.agents().stream().map(AgentSpec::id).toList());

        AgentSpec web = agent(r, "web");
        assertEquals("sh", web.command(), "$PORT needs a shell");
        assertEquals(List.of("-c", "bundle exec puma -p $PORT -C config/puma.rb"), web.args());
        assertNull(web.port());
        assertTrue(noted(r, "web", "PORT"), describe(r));
        assertTrue(web.autostart());

        AgentSpec worker = agent(r, "worker");
        assertEquals("bundle", worker.command(), "a plain command needs no shell");
        assertEquals(List.of("exec", "sidekiq", "-q", "default", "-q", "mailers"), worker.args());
        assertFalse(noted(r, "worker", "PORT"));

        assertEquals("Clock_Tick", agent(r, "clock_tick").name());
        assertTrue(noted(r, "clock_tick", "id"));
        assertEquals(List.of("-c", "bin/rails db:migrate && bin/rails assets:precompile"), agent(r, "release").args());
        assertTrue(noted(r, "release", "release"));
    }
}
