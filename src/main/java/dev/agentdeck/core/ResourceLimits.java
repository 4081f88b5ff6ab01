package dev.agentdeck.core;

import java.util.Objects;

/**
 * Resource limits of one agent, summed over its process tree; a null limit is no limit.
 *
 * @param memoryMb     RSS above which {@code memoryAction} is taken (after 3 consecutive samples)
 * @param cpuPercent   CPU (100 = one core) above which a warning is raised after 30 s
 * @param memoryAction restart (default), stop or warn
 */
public record ResourceLimits(Integer memoryMb, Integer cpuPercent, LimitAction memoryAction) {
    public static final ResourceLimits NONE = new ResourceLimits(null, null, LimitAction.RESTART);

    public ResourceLimits {
        Objects.requireNonNull(memoryAction, "memoryAction");
    }

    public boolean isEmpty() {
        return memoryMb == null && cpuPercent == null;
    }
}
