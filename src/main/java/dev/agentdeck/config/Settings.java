package dev.agentdeck.config;

/**
 * Workspace-wide engine settings (settings.json); every field has a default, so the file is optional.
 *
 * @param maxAgents            how many agents may have a process at once; more starts are refused
 * @param startGraceMs         how long a new process must stay alive to count as started ("verify after spawn")
 * @param stopAllOnExit        stop every agent when the panel or serve exits (otherwise they keep running)
 * @param metricsIntervalMs    how often agents someone is watching (panel, API) are sampled
 * @param backgroundMetricsMs  how often the other agents are sampled (their history still records every sample)
 * @param logMaxBytes          an agent's log file is rotated when it grows past this size
 * @param logKeep              how many rotated files are kept (the newest plain, older ones gzipped)
 * @param stopRemovedAgents    stop an agent that disappeared from agents.json (otherwise it waits for a confirmation)
 * @param dependencyTimeoutSec how long start-all waits for a dependency's condition before giving up on its dependents
 * @param rawSamplesMinutes    how long history keeps every sample
 * @param rollupDays           how long history keeps the 1-minute rollups of samples
 * @param retentionDays        how long history keeps runs, events and config changes
 * @param containment          "auto": a cgroup v2 per run where this user may make one, else tracking; "tracked":
 *                             never make cgroups (see {@link dev.agentdeck.core.Containment})
 */
public record Settings(int maxAgents, long startGraceMs, boolean stopAllOnExit, long metricsIntervalMs,
                       long backgroundMetricsMs, long logMaxBytes, int logKeep, boolean stopRemovedAgents,
                       int dependencyTimeoutSec, int rawSamplesMinutes, int rollupDays, int retentionDays,
                       String containment) {
    public static final java.util.List<String> CONTAINMENTS = java.util.List.of("auto", "tracked");
    public static final Settings DEFAULT = new Settings(200, 100, false, 1000, 5000, 10L * 1024 * 1024, 5, false, 120,
            60, 30, 30, "auto");
}
