package dev.agentdeck.core;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.agentdeck.core.Secrets.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one masking rule: names, URL passwords in any value, and what a mask sent back stands for. */
class SecretsTest {

    @Test
    void namesPeopleGiveSecretsAreSecretInAnyCase() {
        for (String name : new String[]{"DB_PASSWORD", "MYSQL_PASSWD", "PGPASS", "pass", "DB_PWD", "MYSQL_PWD",
                "OPENAI_API_KEY", "keyfile", "GITHUB_TOKEN", "client_secret", "AWS_CREDENTIALS", "AUTH_HEADER",
                "oauth_client", "PRIVATE_KEY_PEM", "private", "SENTRY_DSN", "Database_Dsn"}) {
            assertTrue(Secrets.isSecret(name), name);
        }
    }

    @Test
    void theShellsFoldersAndPlainNamesAreNot() {
        for (String name : new String[]{"PWD", "pwd", "OLDPWD", "PATH", "HOME", "MODE", "PORT", "DATABASE_URL",
                "LANG", "NODE_ENV", ""}) {
            assertFalse(Secrets.isSecret(name), name);
        }
        assertFalse(Secrets.isSecret(null));
        assertEquals("/home/me/app", Secrets.mask("PWD", "/home/me/app"), "the current folder is shown");
    }

    @Test
    void aSecretNamesWholeValueIsMaskedButAnEmptyOneStaysEmpty() {
        assertEquals(MASK, Secrets.mask("API_KEY", "sk-123"));
        assertEquals(MASK, Secrets.mask("DATABASE_DSN", "postgres://app:pw@db/app"), "the name wins: all of it");
        assertEquals("", Secrets.mask("API_KEY", ""));
        assertNull(Secrets.mask("API_KEY", null));
        assertTrue(Secrets.hides("API_KEY", ""), "exports still reference a secret name, even empty");
    }

    @Test
    void theUrlPasswordOfAnyVariableIsMasked() {
        assertEquals("postgres://app:" + MASK + "@db/app", Secrets.mask("DATABASE_URL", "postgres://app:pw@db/app"));
        assertEquals("redis://:" + MASK + "@cache:6379/0", Secrets.mask("CACHE", "redis://:s3cr3t@cache:6379/0"),
                "a password without a user");
        assertEquals("amqp://guest:" + MASK + "@mq", Secrets.mask("BROKER", "amqp://guest:guest@mq"), "no path");
        assertEquals("HTTPS://u:" + MASK + "@h?x=1", Secrets.mask("U", "HTTPS://u:p@h?x=1"), "any scheme's case");
        assertEquals("jdbc:postgresql://u:" + MASK + "@h/db", Secrets.mask("JDBC", "jdbc:postgresql://u:p@h/db"));
        assertTrue(Secrets.hides("DATABASE_URL", "postgres://app:pw@db/app"));
    }

    @Test
    void oddUrlForms() {
        assertEquals("postgres://app@db/app", Secrets.mask("U", "postgres://app@db/app"), "a user without a password");
        assertEquals("ssh://git@github.com/x.git", Secrets.mask("U", "ssh://git@github.com/x.git"));
        assertEquals("postgres://app:@db/app", Secrets.mask("U", "postgres://app:@db/app"), "an empty password");
        assertEquals("postgres://app:" + MASK + "@db/app", Secrets.mask("U", "postgres://app:p%40ss%2Fw@db/app"),
                "percent-encoded, masked whole");
        assertEquals("postgres://app:" + MASK + "@db/app", Secrets.mask("U", "postgres://app:p@ss@db/app"),
                "an unencoded @ in the password: the user part ends at the last @");
        assertEquals("postgres://app:" + MASK + "@[::1]:5432/app", Secrets.mask("U", "postgres://app:pw@[::1]:5432/app"),
                "an IPv6 host");
        assertEquals("http://[::1]:8080/x", Secrets.mask("U", "http://[::1]:8080/x"), "IPv6 without a user");
        assertEquals("ssh://git@[fe80::1]/r", Secrets.mask("U", "ssh://git@[fe80::1]/r"), "IPv6 with a user only");
        assertEquals("http://host:8080/path?mail=a:b@c.org", Secrets.mask("U", "http://host:8080/path?mail=a:b@c.org"),
                "an @ after the authority is not a user");
        assertEquals("a://u:" + MASK + "@h1 b://v:" + MASK + "@h2", Secrets.mask("U", "a://u:p@h1 b://v:q@h2"),
                "two URLs separated by a space");
        assertEquals("redis://:" + MASK + "@h1,redis://:" + MASK + "@h2/0", Secrets.mask("U", "redis://:a@h1,redis://:b@h2/0"),
                "a list of URLs");
        assertEquals("postgresql://u:" + MASK + "@h1:5432,h2:5432/db", Secrets.mask("U", "postgresql://u:pw@h1:5432,h2:5432/db"),
                "several hosts");
    }

    @Test
    void valuesWithAtAndColonThatAreNotUrlsAreShown() {
        for (String v : new String[]{"user@example.com:secret", "a:b@c", "mailto:me@x.org", "10:30@office",
                "me@host", "://u:p@h", "1://u:p@h", "-Ddb=x:y@z", "plain"}) {
            assertEquals(v, Secrets.mask("VALUE", v), v);
            assertFalse(Secrets.hides("VALUE", v), v);
        }
    }

    @Test
    void aMaskSentBackStandsForWhatItMasked() {
        String real = "postgres://app:pw@db/app";
        assertEquals(real, Secrets.unmask(Secrets.mask("DATABASE_URL", real), real), "sent back unchanged");
        assertEquals("postgres://app:pw@db2/other", Secrets.unmask("postgres://app:" + MASK + "@db2/other", real),
                "the host and database changed, the mask keeps the password");
        assertEquals("postgres://admin:pw@db/app", Secrets.unmask("postgres://admin:" + MASK + "@db/app", real),
                "the mask keeps the password whatever else changed");
        assertEquals("postgres://app:new@db/app", Secrets.unmask("postgres://app:new@db/app", real), "a new password");
        assertEquals("sk-1", Secrets.unmask(MASK, "sk-1"), "the whole mask");
        assertEquals(real, Secrets.unmask(MASK, real));
        assertEquals("other", Secrets.unmask("other", "sk-1"));
        assertEquals("a://u:p@h1 b://v:q@h2", Secrets.unmask(Secrets.mask("U", "a://u:p@h1 b://v:q@h2"), "a://u:p@h1 b://v:q@h2"),
                "each URL's mask stands for the password at its place");
    }

    @Test
    void aMaskWithNothingBehindItStaysAndIsRefused() {
        String sent = "postgres://app:" + MASK + "@db/app";
        assertEquals(sent, Secrets.unmask(sent, "postgres://app@db/app"), "the real value has no password");
        assertEquals(sent, Secrets.unmask(sent, null));
        assertTrue(Secrets.isMasked(sent));
        assertTrue(Secrets.isMasked(MASK));
        assertFalse(Secrets.isMasked("postgres://app:pw@db/app"));
        assertFalse(Secrets.isMasked("x" + MASK));
        assertTrue(Secrets.maskedProblem("DATABASE_URL", sent).startsWith("env DATABASE_URL has the mask"));
        assertTrue(Secrets.maskedProblem("API_KEY", MASK).startsWith("env API_KEY is \"" + MASK + "\""));
        assertNull(Secrets.maskedProblem("API_KEY", "sk-1"));
    }

    @Test
    void anEnvIsMaskedValueByValueInOrder() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODE", "prod");
        env.put("API_TOKEN", "t0k");
        env.put("DATABASE_URL", "mysql://root:rootpw@127.0.0.1:3306/db");
        env.put("PWD", "/srv");
        Map<String, String> shown = Secrets.mask(env);
        assertEquals(Map.of("MODE", "prod", "API_TOKEN", MASK, "DATABASE_URL", "mysql://root:" + MASK + "@127.0.0.1:3306/db",
                "PWD", "/srv"), shown);
        assertEquals(env.keySet().stream().toList(), shown.keySet().stream().toList());
    }
}
