package dev.agentdeck.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.Secrets;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an engine does for secrets at rest: older homes tightened once, history and problems without values. */
class PrivateHomeTest extends EngineTestBase {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static void chmod(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private List<AgentEvent> tightenings() {
        return local.recentEvents(0).stream().filter(e -> e.type() == EventType.PERMISSIONS_TIGHTENED).toList();
    }

    @Test
    void whatAnOlderAgentDeckLeftOpenIsMadePrivateOnceAndSaidOnce() throws Exception {
        home.agentsJson("{\"version\": 1, \"agents\": [{\"id\": \"a\", \"command\": \"sleep\", \"args\": [\"300\"]}]}");
        local = LocalEngine.open(home.workspace());
        engine = local;
        local.logs().marker("a", "a marker");
        closeEngine();
        // as an older AgentDeck left it: files 0644, folders 0755
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Path target = Files.writeString(outside.resolve("shared.log"), "theirs");
        chmod(target, "rw-r--r--");
        // the --home folder itself is the user's: it keeps its mode
        for (Path p : List.of(home.agentsFile(), home.file("history.db"), home.file("logs/a.out.log"))) {
            chmod(p, "rw-r--r--");
        }
        chmod(home.file("logs"), "rwxr-xr-x");
        chmod(home.file("run"), "rwxr-xr-x");
        Files.writeString(home.file("api.token"), "a-token-others-could-read\n");
        chmod(home.file("api.token"), "rw-r--r--");
        Files.createSymbolicLink(home.file("logs/linked.log"), target);
        Path script = home.script("mine.sh", "exit 0");
        Path notes = Files.writeString(home.file("notes.txt"), "the user's own");
        chmod(notes, "rw-r--r--");
        String homeMode = mode(tmp);

        local = LocalEngine.open(home.workspace());
        engine = local;
        List<AgentEvent> said = tightenings();
        assertEquals(1, said.size(), "said once: " + said);
        AgentEvent e = said.get(0);
        assertTrue(e.message().contains(tmp.toString()), e.message());
        assertEquals(3, ((Number) e.details().get("files")).intValue(), e.details().toString());
        assertEquals(2, ((Number) e.details().get("folders")).intValue(), e.details().toString());
        assertEquals(true, e.details().get("tokenRemoved"));
        assertTrue(((List<?>) e.details().get("failed")).isEmpty(), e.details().toString());
        for (Path p : List.of(home.agentsFile(), home.file("history.db"), home.file("logs/a.out.log"))) {
            assertEquals("rw-------", mode(p), p.toString());
        }
        assertEquals("rwx------", mode(home.file("logs")));
        assertEquals("rwx------", mode(home.file("run")));
        assertFalse(Files.exists(home.file("api.token")), "a token others could read is not kept");
        assertTrue(Files.isSymbolicLink(home.file("logs/linked.log")), "a link stays a link");
        assertEquals("rw-r--r--", mode(target), "what a link points to, out of the home, is not touched");
        assertEquals("rwxr-xr-x", mode(script), "the user's script is theirs");
        assertEquals("rw-r--r--", mode(notes), "so are their notes");
        assertEquals(homeMode, mode(tmp), "a --home folder keeps its mode");

        closeEngine();
        local = LocalEngine.open(home.workspace());
        engine = local;
        assertTrue(tightenings().isEmpty(), "not said again: there is nothing left to tighten");
    }

    @Test
    void aFreshHomeIsPrivateFromTheStart() throws Exception {
        TestHome fresh = new TestHome(tmp.resolve("new/home"));
        local = LocalEngine.open(fresh.workspace());
        engine = local;
        assertEquals("rwx------", mode(fresh.dir()), "the home AgentDeck made");
        assertEquals("rwx------", mode(tmp.resolve("new")), "and the folder it made for it");
        assertEquals("rwx------", mode(fresh.file("logs")));
        assertEquals("rwx------", mode(fresh.file("run")));
        assertEquals("rw-------", mode(fresh.file("history.db")));
        assertTrue(tightenings().isEmpty(), "nothing to say about a home made private");
    }

    @Test
    void configHistoryRecordsThatASecretChangedNeverItsValue() throws Exception {
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"], "env": {
                  "API_KEY": "key-before-1", "DATABASE_URL": "postgres://app:url-pw-1@db/app", "MODE": "a"}}]}
                """);
        local = LocalEngine.open(home.workspace());
        engine = local;
        AgentSpec a = local.agents().get(0);
        local.updateAgent(a.toBuilder().env(Map.of("API_KEY", "key-after-2", "DATABASE_URL", "postgres://app:url-pw-1@db2/app",
                "MODE", "b", "SENTRY_DSN", "dsn-new-3")).build()).get(10, TimeUnit.SECONDS);
        Await.until("the change is in the history", WAIT, () -> local.events(new dev.agentdeck.history.EventQuery(
                "a", null, null, null, null, 10)).join().stream().anyMatch(x -> x.type() == EventType.AGENT_CHANGED));
        closeEngine();
        local = null; // closed: nothing left for the teardown to stop
        JsonNode changes;
        String spec;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.file("history.db"));
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT spec, changes FROM config_changes WHERE change = 'agent_changed' ORDER BY id DESC")) {
            assertTrue(r.next(), "the change is recorded");
            spec = r.getString(1);
            changes = Json.MAPPER.readTree(r.getString(2));
        }
        assertEquals("changed", changes.get("env.API_KEY").asText(), changes.toString());
        assertEquals("added", changes.get("env.SENTRY_DSN").asText(), changes.toString());
        assertEquals("postgres://app:" + Secrets.MASK + "@db/app", changes.at("/env.DATABASE_URL/before").asText(), changes.toString());
        assertEquals("postgres://app:" + Secrets.MASK + "@db2/app", changes.at("/env.DATABASE_URL/after").asText());
        assertEquals("a", changes.at("/env.MODE/before").asText());
        assertEquals("b", changes.at("/env.MODE/after").asText());
        assertTrue(spec.contains("\"API_KEY\":\"" + Secrets.MASK + "\""), spec);
        String raw = allBytes(List.of("history.db", "history.db-wal", "history.db-shm"));
        for (String secret : List.of("key-before-1", "key-after-2", "url-pw-1", "dsn-new-3")) {
            assertFalse(raw.contains(secret), "history.db holds " + secret);
        }
    }

    @Test
    void aProblemInAgentsJsonDoesNotRepeatASecretValue() throws Exception {
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "env": {"PIN_PASSWORD": 738261, "PORT": 8080}}]}
                """);
        local = LocalEngine.open(home.workspace());
        engine = local;
        String problems = String.join("\n", local.configProblems().stream().map(Object::toString).toList());
        assertTrue(problems.contains("env.PIN_PASSWORD must be a string (write the value in quotes), got a number"), problems);
        assertTrue(problems.contains("write \"8080\" in quotes"), "a plain value is still quoted: " + problems);
        assertFalse(problems.contains("738261"), problems);
        String events = local.recentEvents(0).toString();
        assertFalse(events.contains("738261"), events);
    }

    private String allBytes(List<String> names) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            Path f = home.file(n);
            if (Files.exists(f)) {
                b.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }
}
