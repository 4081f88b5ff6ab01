package dev.agentdeck.core;

import java.util.List;
import java.util.Objects;

/**
 * An agent's health check; absent (null in {@link AgentSpec}) means "alive is healthy".
 * A closed set: HTTP GET, TCP connect, or a command run in the agent's cwd.
 */
public sealed interface HealthCheckSpec {
    ProbeTiming timing();

    /** Restart the agent when it turns UNHEALTHY (as a Kubernetes liveness probe). */
    boolean restartOnUnhealthy();

    /** The name used in agents.json's {@code type} field. */
    String typeName();

    /** GET {@code endpoint}; a 2xx or 3xx answer within the timeout is healthy. */
    record Http(String endpoint, ProbeTiming timing, boolean restartOnUnhealthy) implements HealthCheckSpec {
        public Http {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(timing, "timing");
        }

        @Override
        public String typeName() {
            return "http";
        }
    }

    /** Connect to {@code host:port}; a null port means the agent's own port. */
    record Tcp(String host, Integer port, ProbeTiming timing, boolean restartOnUnhealthy) implements HealthCheckSpec {
        public Tcp {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(timing, "timing");
        }

        @Override
        public String typeName() {
            return "tcp";
        }
    }

    /** Run {@code command} (no shell) in the agent's cwd; exit code 0 is healthy; killed at the timeout. */
    record Command(List<String> command, ProbeTiming timing, boolean restartOnUnhealthy) implements HealthCheckSpec {
        public Command {
            command = List.copyOf(command);
            Objects.requireNonNull(timing, "timing");
        }

        @Override
        public String typeName() {
            return "command";
        }
    }
}
