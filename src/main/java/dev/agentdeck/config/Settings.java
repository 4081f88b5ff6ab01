package dev.agentdeck.config;

/**
 * Workspace-wide engine settings (settings.json); every field has a default, so the file is optional.
 *
 * @param maxAgents     how many agents may have a process at once; more starts are refused
 * @param startGraceMs  how long a new process must stay alive to count as started ("verify after spawn")
 * @param stopAllOnExit stop every agent when the panel or serve exits (otherwise they keep running)
 */
public record Settings(int maxAgents, long startGraceMs, boolean stopAllOnExit) {
    public static final Settings DEFAULT = new Settings(200, 100, false);
}
