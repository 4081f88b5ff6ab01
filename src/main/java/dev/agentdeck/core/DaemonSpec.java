package dev.agentdeck.core;

/**
 * For a program that daemonizes on purpose ({@code nginx}, {@code redis-server --daemonize yes}, a server
 * started with {@code --daemon}), as systemd's {@code Type=forking}: the command AgentDeck starts is only a
 * launcher that must exit 0 within {@code timeoutSec}; the agent is then the daemon it left behind, named by
 * {@code pidFile} (a path relative to the agent's cwd) or, without one, the one process of the run still alive.
 * The daemon is shown, stopped and restarted as the agent.
 */
public record DaemonSpec(String pidFile, int timeoutSec) {
    public static final int DEFAULT_TIMEOUT_SEC = 30;

    public DaemonSpec {
        pidFile = pidFile == null || pidFile.isBlank() ? null : pidFile;
    }
}
