package dev.agentdeck.transfer;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigReader;
import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.SpecValidator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.agentdeck.transfer.ImportTestFiles.agent;
import static dev.agentdeck.transfer.ImportTestFiles.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Damaged and hostile input: never an exception, and whatever agents come out are valid. */
class ImportFuzzTest {
    private static final List<String> FILES = List.of("supervisord.conf", "ecosystem.config.json", "pm2-jlist.json",
            "process-compose.yaml");
    private static final String NASTY = "\u0000\u0001\u001b[31m\u007f\r\u2028\uFEFF\uD800";

    /** Reads {@code text} as every format and checks the results. */
    private static void readAsEveryFormat(String text) {
        for (ImportFormat f : ImportFormat.values()) {
            ImportResult r;
            try {
                r = Importers.read(f, text, "fuzz");
            } catch (RuntimeException | Error e) {
                throw new AssertionError(f + " threw on:\n" + text, e);
            }
            check(f, text, r);
        }
    }

    private static void check(ImportFormat f, String text, ImportResult r) {
        for (ImportProblem p : r.problems()) {
            if (p.message().startsWith("the file could not be read")) {
                fail(f + " failed inside the reader: " + p + "\non:\n" + text);
            }
        }
        for (AgentSpec a : r.agents()) {
            assertTrue(SpecValidator.ID.matcher(a.id()).matches(), a.id());
            try {
                ConfigReader.readOne(ConfigWriter.agent(a), a.id());
            } catch (ConfigException e) {
                fail(f + " returned an invalid agent: " + e.getMessage());
            }
        }
        assertEquals(List.of(), SpecValidator.validate(r.agents()), f + " agents are not valid together");
    }

    @Test
    void truncatedFilesNeverThrow() {
        for (String name : FILES) {
            String text = ImportTestFiles.text(name);
            for (int end = 0; end < text.length(); end += 13) {
                readAsEveryFormat(text.substring(0, end));
            }
        }
    }

    @Test
    void controlCharactersAndRandomDamageNeverThrow() {
        Random random = new Random(8);
        for (String name : FILES) {
            String text = ImportTestFiles.text(name);
            for (int i = 0; i < 60; i++) {
                StringBuilder b = new StringBuilder(text);
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    int at = random.nextInt(b.length());
                    switch (random.nextInt(3)) {
                        case 0 -> b.insert(at, NASTY.charAt(random.nextInt(NASTY.length())));
                        case 1 -> b.setCharAt(at, (char) random.nextInt(128));
                        default -> b.delete(at, Math.min(b.length(), at + random.nextInt(20)));
                    }
                }
                readAsEveryFormat(b.toString());
            }
        }
        readAsEveryFormat(NASTY);
        readAsEveryFormat("[".repeat(5000) + "]".repeat(5000));
        readAsEveryFormat("{\"apps\": " + "[".repeat(3000));
        readAsEveryFormat("a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\nprocesses: {x: {command: *c}}\n");
    }

    @Test
    void pathTraversalInNamesGivesPlainIds() {
        ImportResult sup = Importers.read(ImportFormat.SUPERVISOR, "[program:../../etc/x]\ncommand=/bin/x\n", "s.conf");
        ImportResult pm2 = Importers.read(ImportFormat.PM2, "[{\"name\": \"../../x\", \"script\": \"x.js\"}]", "e.json");
        ImportResult pc = Importers.read(ImportFormat.PROCESS_COMPOSE,
                "processes:\n  \"../../etc/passwd\":\n    command: ./x\n  \"/\":\n    command: ./y\n", "pc.yaml");
        assertEquals("etc-x", sup.agents().get(0).id(), describe(sup));
        assertEquals("x", pm2.agents().get(0).id(), describe(pm2));
        assertEquals("etc-passwd", pc.agents().get(0).id(), describe(pc));
        assertEquals(1, pc.agents().size(), "\"/\" leaves no id: " + describe(pc));
        assertFalse(pc.clean());
        for (ImportResult r : List.of(sup, pm2, pc)) {
            r.agents().forEach(a -> assertFalse(a.id().contains("/") || a.id().contains("..")));
        }
    }

    @Test
    void shellMetacharactersStayVerbatimWithoutAShell() {
        ImportResult sup = Importers.read(ImportFormat.SUPERVISOR,
                "[program:echo]\ncommand=/bin/echo \"a;b|c\" '$(rm -rf ~)' >out `id` && x\n", "s.conf");
        AgentSpec echo = agent(sup, "echo");
        assertEquals("/bin/echo", echo.command());
        assertEquals(List.of("a;b|c", "$(rm -rf ~)", ">out", "`id`", "&&", "x"), echo.args());

        ImportResult pm2 = Importers.read(ImportFormat.PM2,
                "[{\"name\": \"e\", \"script\": \"/bin/echo\", \"interpreter\": \"none\","
                        + " \"args\": \"'$HOME;ls' \\\"|\\\" *\"}]", "e.json");
        AgentSpec e = agent(pm2, "e");
        assertEquals("/bin/echo", e.command());
        assertEquals(List.of("$HOME;ls", "|", "*"), e.args());
    }
}
