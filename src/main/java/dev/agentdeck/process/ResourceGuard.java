package dev.agentdeck.process;

import dev.agentdeck.core.ResourceLimits;
import dev.agentdeck.core.Usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Watches one run's samples against its limits: memory above {@code memoryMb} for 3 samples in a row
 * triggers the memory action (once); CPU above {@code cpuPercent} for 30 s raises a standing warning,
 * cleared when it drops. Pure logic, used by the sampler's thread only; the supervisor acts on the verdicts.
 */
final class ResourceGuard {
    static final int MEMORY_SAMPLES = 3;
    static final Duration CPU_GRACE = Duration.ofSeconds(30);

    private final ResourceLimits limits;
    private int memoryOver;
    private boolean memoryTriggered;
    private Instant cpuOverSince;
    private volatile String cpuWarning;

    /** What a sample changed: a memory breach to act on, a CPU warning that started or ended. */
    record Verdict(String memoryBreach, String cpuWarningStarted, boolean cpuWarningEnded) {
        static final Verdict NONE = new Verdict(null, null, false);
    }

    ResourceGuard(ResourceLimits limits) {
        this.limits = limits;
    }

    Verdict onSample(Usage u, Instant now) {
        String breach = null;
        if (limits.memoryMb() != null) {
            long limitBytes = limits.memoryMb() * 1024L * 1024L;
            if (u.rssBytes() > limitBytes) {
                memoryOver++;
                if (memoryOver >= MEMORY_SAMPLES && !memoryTriggered) {
                    memoryTriggered = true;
                    breach = String.format(Locale.ROOT, "memory %.0f MB is above the limit of %d MB for %d samples in a row",
                            u.rssBytes() / 1048576.0, limits.memoryMb(), memoryOver);
                }
            } else {
                memoryOver = 0;
            }
        }
        String started = null;
        boolean ended = false;
        if (limits.cpuPercent() != null) {
            if (u.cpuPercent() > limits.cpuPercent()) {
                if (cpuOverSince == null) {
                    cpuOverSince = now;
                }
                if (cpuWarning == null && !now.isBefore(cpuOverSince.plus(CPU_GRACE))) {
                    cpuWarning = String.format(Locale.ROOT, "CPU above %d %% for %d s (now %.0f %%)",
                            limits.cpuPercent(), CPU_GRACE.toSeconds(), u.cpuPercent());
                    started = cpuWarning;
                }
            } else {
                cpuOverSince = null;
                if (cpuWarning != null) {
                    cpuWarning = null;
                    ended = true;
                }
            }
        }
        return breach == null && started == null && !ended ? Verdict.NONE : new Verdict(breach, started, ended);
    }

    /** The standing CPU warning, or null. */
    String cpuWarning() {
        return cpuWarning;
    }
}
