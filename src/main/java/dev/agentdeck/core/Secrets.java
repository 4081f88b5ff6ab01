package dev.agentdeck.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for secrets in agents' environment variables, used wherever an env value leaves agents.json:
 * API replies, the panel, exports, config history.
 * <ul>
 * <li>By name: a name containing PASS (PASSWORD, PASSWD), PWD, KEY, TOKEN, SECRET, CREDENTIAL, AUTH, PRIVATE or
 * DSN, in any case, is secret and its whole value is masked. The shell's own {@code PWD} and {@code OLDPWD} are
 * not: they hold the current folder.</li>
 * <li>By value: in any variable, whatever its name, the password of a URL with one
 * ({@code scheme://user:password@host...}) is masked: {@code postgres://app:********@db/app}. The URL's
 * authority ends at the first {@code /}, {@code ?}, {@code #} or white space (so a password must
 * percent-encode those, as URLs require); the user part ends at its last {@code @} and the password starts at
 * its first {@code :}. A user without a password ({@code ssh://git@host}) is not masked.</li>
 * </ul>
 * A value sent back with the mask where it was shown stands for the value it masked ({@link #unmask}).
 */
public final class Secrets {
    /** What a masked value, or a masked URL password, reads as in every API reply and export. */
    public static final String MASK = "********";
    private static final Pattern SECRET_NAME = Pattern.compile("PASS|PWD|KEY|TOKEN|SECRET|CREDENTIAL|AUTH|PRIVATE|DSN");
    /** The shell's current and previous folder: their names contain PWD, their values are folders. */
    private static final Set<String> NOT_SECRET = Set.of("PWD", "OLDPWD");
    /** Where a URL starts: a scheme (not inside a longer word) and {@code ://}. */
    private static final Pattern SCHEME = Pattern.compile("(?<![A-Za-z0-9+.\\-])[A-Za-z][A-Za-z0-9+.\\-]*://");

    private Secrets() {
    }

    /** Whether a variable's name says its value is secret (the whole value is then masked). */
    public static boolean isSecret(String name) {
        if (name == null) {
            return false;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return !NOT_SECRET.contains(upper) && SECRET_NAME.matcher(upper).find();
    }

    /**
     * The value as it may be shown: {@link #MASK} for a secret name (an empty value stays empty: there is
     * nothing to hide), otherwise the value with the password of each URL in it masked.
     */
    public static String mask(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (isSecret(name)) {
            return MASK;
        }
        List<int[]> spans = passwords(value);
        if (spans.isEmpty()) {
            return value;
        }
        StringBuilder b = new StringBuilder(value.length());
        int at = 0;
        for (int[] s : spans) {
            b.append(value, at, s[0]).append(MASK);
            at = s[1];
        }
        return b.append(value, at, value.length()).toString();
    }

    /** A copy of {@code env} with each value as {@link #mask(String, String)} shows it. */
    public static Map<String, String> mask(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, mask(k, v)));
        return out;
    }

    /** Whether the value cannot be shown or written in clear: its name is secret or it holds a URL password. */
    public static boolean hides(String name, String value) {
        return isSecret(name) || (value != null && !passwords(value).isEmpty());
    }

    /** Whether a value still holds the mask: it is {@link #MASK}, or a URL in it has {@link #MASK} as its password. */
    public static boolean isMasked(String value) {
        if (value == null) {
            return false;
        }
        if (MASK.equals(value)) {
            return true;
        }
        return passwords(value).stream().anyMatch(s -> MASK.equals(value.substring(s[0], s[1])));
    }

    /**
     * Why variable {@code name} cannot be saved with {@code value}: it still holds the mask, which stands for no
     * value here; null when it does not. The text starts with "env", the field it is about.
     */
    public static String maskedProblem(String name, String value) {
        if (MASK.equals(value)) {
            return "env " + name + " is \"" + MASK + "\", the mask AgentDeck shows in place of a secret; give the real value";
        }
        if (isMasked(value)) {
            return "env " + name + " has the mask " + MASK + " as a URL password, and there is no password behind it; "
                    + "give the real password";
        }
        return null;
    }

    /**
     * What a client meant by sending {@code sent} back for a variable whose value is {@code real}: the mask
     * alone stands for the whole real value; a URL password that is the mask stands for the password of the
     * URL at the same place in the real value (so changing the host or database of a masked URL keeps its
     * password). A mask with nothing behind it is left as it is (and refused by whoever checks
     * {@link #isMasked}); anything else is the new value as sent.
     */
    public static String unmask(String sent, String real) {
        if (sent == null || real == null) {
            return sent;
        }
        if (MASK.equals(sent)) {
            return real;
        }
        List<int[]> shown = passwords(sent);
        if (shown.isEmpty()) {
            return sent;
        }
        List<int[]> held = passwords(real);
        StringBuilder b = new StringBuilder(sent.length());
        int at = 0;
        for (int i = 0; i < shown.size(); i++) {
            int[] s = shown.get(i);
            b.append(sent, at, s[0]);
            String password = sent.substring(s[0], s[1]);
            b.append(MASK.equals(password) && i < held.size() ? real.substring(held.get(i)[0], held.get(i)[1]) : password);
            at = s[1];
        }
        return b.append(sent, at, sent.length()).toString();
    }

    /** The [start, end) of each non-empty URL password in {@code value}, in order. */
    static List<int[]> passwords(String value) {
        List<int[]> out = new ArrayList<>(0);
        if (value.indexOf("://") < 0) {
            return out;
        }
        Matcher m = SCHEME.matcher(value);
        int from = 0;
        while (from < value.length() && m.find(from)) {
            int start = m.end();
            int next = m.find(start) ? m.start() : value.length(); // a list of URLs: the next one ends this one
            int end = start;
            while (end < next && !endsAuthority(value.charAt(end))) {
                end++;
            }
            int at = value.lastIndexOf('@', end - 1);
            if (at >= start) {
                int colon = value.indexOf(':', start);
                if (colon >= 0 && colon < at - 1) {
                    out.add(new int[]{colon + 1, at});
                }
            }
            from = Math.max(end, start);
        }
        return out;
    }

    private static boolean endsAuthority(char c) {
        return c == '/' || c == '?' || c == '#' || Character.isWhitespace(c);
    }
}
