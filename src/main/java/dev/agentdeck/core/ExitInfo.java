package dev.agentdeck.core;

import java.time.Instant;

/**
 * How a run ended.
 *
 * @param code       exit code, or null when unknown (an adopted process is not our child)
 * @param signal     the signal that ended it when it was killed by one (e.g. "KILL"), else null
 * @param at         when the end was seen
 * @param uptimeMs   how long the run lasted
 * @param reason     a sentence for people: "stopped by user", "exited with code 1", "killed by SIGKILL"
 * @param stderrTail the last lines the run wrote to stderr, when it failed; else empty
 */
public record ExitInfo(Integer code, String signal, Instant at, long uptimeMs, String reason, String stderrTail) {
    public ExitInfo {
        stderrTail = stderrTail == null ? "" : stderrTail;
    }

    /** Builds the record from a wait status as Java reports it (128 + n for a process killed by signal n). */
    public static ExitInfo fromExitCode(int code, Instant at, long uptimeMs, String reasonPrefix, String stderrTail) {
        String signal = null;
        String what;
        if (code > 128 && code < 128 + 65) {
            Signal s = Signal.ofNumber(code - 128);
            signal = s != null ? s.name() : "SIG" + (code - 128);
            what = "killed by " + (s != null ? s.sigName() : "signal " + (code - 128)) + " (exit code " + code + ")";
        } else {
            what = "exited with code " + code;
        }
        String reason = reasonPrefix == null ? what : reasonPrefix + ", " + what;
        return new ExitInfo(code, signal, at, uptimeMs, reason, stderrTail);
    }

    /** The end of a process that was not started here: nobody can tell its exit code. */
    public static ExitInfo unknown(Instant at, long uptimeMs, String reasonPrefix) {
        String what = "ended; exit code unknown (adopted: not started by this AgentDeck)";
        return new ExitInfo(null, null, at, uptimeMs, reasonPrefix == null ? what : reasonPrefix + ", " + what, "");
    }

    /** True when the run ended with exit code 0. */
    public boolean clean() {
        return code != null && code == 0;
    }
}
