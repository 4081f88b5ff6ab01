package dev.agentdeck.core;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which environment variables look secret (their name contains KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL
 * or AUTH), and their masked form: what the panel hides and the API never sends.
 */
public final class Secrets {
    /** What a masked value reads as in every API reply and export. */
    public static final String MASK = "********";
    private static final Pattern SECRET = Pattern.compile("KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH");

    private Secrets() {
    }

    public static boolean isSecret(String name) {
        return name != null && SECRET.matcher(name.toUpperCase(Locale.ROOT)).find();
    }

    /** A copy of {@code env} with secret-looking values replaced by {@link #MASK}. */
    public static Map<String, String> mask(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, isSecret(k) && v != null && !v.isEmpty() ? MASK : v));
        return out;
    }
}
