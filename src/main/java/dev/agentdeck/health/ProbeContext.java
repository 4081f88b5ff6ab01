package dev.agentdeck.health;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What probes of one engine share: the agent's port, cwd and environment (for command probes), an HTTP
 * client made on first use, a small pool for blocking work, and the engine's timer.
 */
public record ProbeContext(Integer agentPort, Path cwd, Map<String, String> env, Supplier<HttpClient> http,
                           Executor blocking, ScheduledExecutorService timer) {
}
