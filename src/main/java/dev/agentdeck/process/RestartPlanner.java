package dev.agentdeck.process;

import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides what follows a run that ended on its own: nothing, a restart after a back-off delay, or giving up.
 * The delay starts at {@code delayMs} and doubles up to {@code maxDelayMs}; a run that stayed up
 * {@code resetAfterSec} resets it and does not count as a failed start. After {@code burst} failed starts
 * within {@code windowSec} it gives up. Pure logic: the supervisor owns the timers.
 */
final class RestartPlanner {
    /** What to do after an exit. */
    sealed interface Decision permits Stay, Retry, GiveUp {
    }

    /** The policy does not restart this exit. */
    record Stay() implements Decision {
    }

    /** Start again after {@code delay}; {@code attempt} counts failed starts in the window. */
    record Retry(Duration delay, int attempt) implements Decision {
    }

    /** Too many failed starts: FATAL, with the reason spelled out. */
    record GiveUp(String reason) implements Decision {
    }

    private final RestartSpec spec;
    private final Deque<Instant> failures = new ArrayDeque<>();
    private long nextDelayMs;

    RestartPlanner(RestartSpec spec) {
        this.spec = spec;
        this.nextDelayMs = spec.delayMs();
    }

    /** Forgets the history, as after a start by hand. */
    void reset() {
        failures.clear();
        nextDelayMs = spec.delayMs();
    }

    Decision onExit(Instant now, long uptimeMs, ExitInfo exit) {
        boolean wanted = spec.policy() == RestartPolicy.ALWAYS
                || (spec.policy() == RestartPolicy.ON_FAILURE && !exit.clean());
        if (!wanted) {
            return new Stay();
        }
        if (uptimeMs >= spec.resetAfterSec() * 1000L) {
            nextDelayMs = spec.delayMs();
            return new Retry(Duration.ofMillis(takeDelay()), failuresIn(now));
        }
        failures.addLast(now);
        int inWindow = failuresIn(now);
        if (inWindow >= spec.burst()) {
            String last = exit.code() == null ? "exit code unknown"
                    : exit.signal() != null ? "last killed by SIG" + exit.signal() : "last exit code " + exit.code();
            return new GiveUp("gave up after " + inWindow + " failed start" + (inWindow == 1 ? "" : "s") + " in "
                    + spec.windowSec() + " s; " + last);
        }
        return new Retry(Duration.ofMillis(takeDelay()), inWindow);
    }

    private long takeDelay() {
        long d = nextDelayMs;
        nextDelayMs = Math.min(Math.max(1, nextDelayMs) * 2, spec.maxDelayMs());
        return d;
    }

    private int failuresIn(Instant now) {
        Instant cutoff = now.minusSeconds(spec.windowSec());
        while (!failures.isEmpty() && failures.peekFirst().isBefore(cutoff)) {
            failures.removeFirst();
        }
        return failures.size();
    }
}
