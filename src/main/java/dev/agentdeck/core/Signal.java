package dev.agentdeck.core;

import java.util.Locale;

/**
 * The POSIX signals AgentDeck sends, with their numbers on Linux and on macOS/BSD (they differ).
 * Names are written without the SIG prefix, as in agents.json ({@code "signal": "TERM"}).
 */
public enum Signal {
    HUP(1, 1), INT(2, 2), QUIT(3, 3), KILL(9, 9), USR1(10, 30), USR2(12, 31), TERM(15, 15),
    CONT(18, 19), STOP(19, 17), TSTP(20, 18), WINCH(28, 28);

    private final int linux;
    private final int bsd;

    Signal(int linux, int bsd) {
        this.linux = linux;
        this.bsd = bsd;
    }

    /** The signal's number on the running operating system. */
    public int number() {
        return IS_LINUX ? linux : bsd;
    }

    /** The conventional name, e.g. {@code SIGTERM}. */
    public String sigName() {
        return "SIG" + name();
    }

    /** Parses "TERM", "SIGTERM" or "term"; null when it is not a signal AgentDeck knows. */
    public static Signal parse(String text) {
        // strip(), not trim(): trim() also drops NUL and other control characters, so "KILL\0" read as KILL
        String up = text.strip().toUpperCase(Locale.ROOT);
        if (up.startsWith("SIG")) {
            up = up.substring(3);
        }
        for (Signal s : values()) {
            if (s.name().equals(up)) {
                return s;
            }
        }
        return null;
    }

    /** The signal with this number on the running system, or null. */
    public static Signal ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number() == number) {
                return s;
            }
        }
        return null;
    }

    private static final boolean IS_LINUX =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
}
