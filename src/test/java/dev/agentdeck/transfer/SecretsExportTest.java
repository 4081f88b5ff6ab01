package dev.agentdeck.transfer;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.Secrets;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretsExportTest {
    @Test
    void noFormatWritesASecretValueOrTheMask() {
        for (ExportFormat f : ExportFormat.values()) {
            String all = ExportSamples.all(Exporters.write(f, ExportSamples.definitions(),
                    ExportSamples.context(Path.of("/work/cfg"))));
            assertFalse(all.contains(ExportSamples.SECRET), f + " wrote the secret");
            assertFalse(all.contains(Secrets.MASK), f + " wrote the mask as a value");
            assertTrue(all.contains("API_TOKEN"), f + " names the secret variable");
        }
    }

    @Test
    void aUrlWithAPasswordIsASecretWhateverItsNameAndOneWithoutIsWrittenAsItIs() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", "postgres://app:url-pw-31@db/app");
        env.put("SENTRY_DSN", "https://dsn-key-9@o1.ingest.sentry.io/1");
        env.put("DB_PWD", "pwd-value-4");
        env.put("HOMEPAGE", "https://example.org/docs");
        env.put("PWD", "/srv/app");
        AgentSpec a = AgentSpec.builder("db-client").command("/bin/sh").args("-c", "exec sleep 1000").env(env).build();
        for (ExportFormat f : ExportFormat.values()) {
            String all = ExportSamples.all(Exporters.write(f, List.of(a), ExportSamples.context(Path.of("/work/cfg"))));
            for (String secret : List.of("url-pw-31", "dsn-key-9", "pwd-value-4")) {
                assertFalse(all.contains(secret), f + " wrote " + secret + ":\n" + all);
            }
            assertFalse(all.contains(Secrets.MASK), f + " wrote the mask as a value");
            assertTrue(all.contains("DATABASE_URL") && all.contains("SENTRY_DSN") && all.contains("DB_PWD"),
                    f + " names the secret variables:\n" + all);
            assertTrue(all.contains("https://example.org/docs"), f + " writes a URL without a password:\n" + all);
            assertTrue(all.contains("/srv/app"), f + " writes PWD, a folder:\n" + all);
        }
    }
}
