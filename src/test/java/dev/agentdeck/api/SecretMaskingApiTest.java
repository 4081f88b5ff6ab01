package dev.agentdeck.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.core.Secrets;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one masking rule in every reply: secret names, and the password of a URL in any variable. */
class SecretMaskingApiTest extends ApiTestBase {
    private static final String URL_PASSWORD = "url-pw-5150";
    private static final String DSN_SECRET = "dsn-9d1e";
    private static final String KEY = "sk-key-777";
    private static final String MASKED_URL = "postgres://app:" + Secrets.MASK + "@db/app";

    private void openAgent() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "a", "command": "sleep", "args": ["300"], "env": {
                  "DATABASE_URL": "postgres://app:%s@db/app", "SENTRY_DSN": "https://%s@o1.ingest.sentry.io/1",
                  "OPENAI_API_KEY": "%s", "HOMEPAGE": "https://example.org/x", "PWD": "/srv/app"}}]}
                """.formatted(URL_PASSWORD, DSN_SECRET, KEY));
    }

    private static void noSecretIn(String what, JsonNode body) {
        String text = String.valueOf(body);
        for (String s : List.of(URL_PASSWORD, DSN_SECRET, KEY)) {
            assertFalse(text.contains(s), what + " shows " + s + ": " + text);
        }
    }

    @Test
    void everyReplyMasksTheUrlPasswordAndTheSecretNames() throws Exception {
        openAgent();
        Resp one = get("/api/spawn/process/a");
        assertEquals(200, one.status());
        JsonNode env = one.data().at("/config/env");
        assertEquals(MASKED_URL, env.get("DATABASE_URL").asText());
        assertEquals(Secrets.MASK, env.get("SENTRY_DSN").asText());
        assertEquals(Secrets.MASK, env.get("OPENAI_API_KEY").asText());
        assertEquals("https://example.org/x", env.get("HOMEPAGE").asText(), "a URL without a password is shown");
        assertEquals("/srv/app", env.get("PWD").asText(), "the shell's folder is shown");
        noSecretIn("the agent", one.body());
        noSecretIn("the list", get("/api/spawn/processes").body());
        noSecretIn("the Cortex list", get("/api/processes/status").body());
        Resp export = get("/api/spawn/process/a/export");
        assertEquals(MASKED_URL, export.data().at("/spec/env/DATABASE_URL").asText());
        noSecretIn("the export", export.body());
        noSecretIn("the definition on the wire", get("/api/deck/definitions/a").body());
        for (String format : List.of("systemd", "supervisor", "compose", "kubernetes")) {
            Resp files = get("/api/deck/export-as?format=" + format + "&ids=a");
            assertEquals(200, files.status(), files.body().toString());
            noSecretIn(format, files.body());
            assertFalse(files.body().toString().contains(Secrets.MASK), format + " wrote a mask as a value");
            assertTrue(files.body().toString().contains("DATABASE_URL"), format + " names the variable");
        }

        Resp saved = post("/api/deck/templates", "{\"agentId\": \"a\", \"templateId\": \"from-a\"}");
        assertEquals(200, saved.status(), saved.body().toString());
        noSecretIn("the saved template", saved.body());
        Resp templates = get("/api/spawn/templates");
        noSecretIn("the templates", templates.body());
        noSecretIn("the templates on the wire", get("/api/deck/templates").body());
        assertFalse(Files.readString(home.file("templates/from-a.json")).contains(URL_PASSWORD), "nor the template's file");

        Resp changed = put("/api/spawn/process/a/config", "{\"env\": {\"OPENAI_API_KEY\": \"sk-new-888\"}}");
        assertEquals(200, changed.status(), changed.body().toString());
        assertFalse(changed.body().toString().contains("sk-new-888"));
        Await.until("the change is in the history", WAIT, () -> fetch("/api/spawn/history/events?agent=a").data().size() >= 1);
        Resp events = get("/api/spawn/history/events?limit=100");
        noSecretIn("the events", events.body());
        assertFalse(events.body().toString().contains("sk-new-888"));
    }

    @Test
    void aMaskedUrlSentBackKeepsItsPasswordAndAMaskWithNothingBehindItIsRefused() throws Exception {
        openAgent();
        Resp same = put("/api/spawn/process/a/config", "{\"env\": {\"DATABASE_URL\": \"" + MASKED_URL + "\"}}");
        assertEquals(200, same.status(), same.body().toString());
        assertEquals("postgres://app:" + URL_PASSWORD + "@db/app", engine.agents().get(0).env().get("DATABASE_URL"));

        Resp moved = put("/api/spawn/process/a/config", "{\"env\": {\"DATABASE_URL\": \"postgres://app:"
                + Secrets.MASK + "@db2:5433/app\"}}");
        assertEquals(200, moved.status(), moved.body().toString());
        assertEquals("postgres://app:" + URL_PASSWORD + "@db2:5433/app", engine.agents().get(0).env().get("DATABASE_URL"),
                "another host with the mask keeps the password");
        assertEquals("postgres://app:" + Secrets.MASK + "@db2:5433/app", moved.data().at("/config/env/DATABASE_URL").asText());

        byte[] before = Files.readAllBytes(home.agentsFile());
        Resp nothingBehind = put("/api/spawn/process/a/config", "{\"env\": {\"HOMEPAGE\": \"https://u:"
                + Secrets.MASK + "@example.org/x\"}}");
        assertEquals(400, nothingBehind.status());
        assertTrue(String.join("\n", nothingBehind.details()).contains("env HOMEPAGE has the mask"), nothingBehind.details().toString());
        assertArrayEquals(before, Files.readAllBytes(home.agentsFile()), "a refused change writes nothing");

        Resp fresh = put("/api/spawn/process/a/config", "{\"env\": {\"DATABASE_URL\": \"postgres://app:other-pw@db/app\"}}");
        assertEquals(200, fresh.status());
        assertEquals("postgres://app:other-pw@db/app", engine.agents().get(0).env().get("DATABASE_URL"));
    }
}
