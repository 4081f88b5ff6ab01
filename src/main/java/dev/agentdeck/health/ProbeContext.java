package dev.agentdeck.health;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What probes of one engine share: the agent's port, cwd and environment (for command probes), an HTTP
 * client made on first use, and the small scheduled pool probes run on.
 */
public record ProbeContext(Integer agentPort, Path cwd, Map<String, String> env, Supplier<HttpClient> http,
                           ScheduledExecutorService pool) {
}
