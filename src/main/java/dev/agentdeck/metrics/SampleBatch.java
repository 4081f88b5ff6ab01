package dev.agentdeck.metrics;

import java.time.Instant;
import java.util.List;

/** What one sampler tick measured: the agents that were due, and the host when it was due. */
public record SampleBatch(Instant at, List<AgentSample> agents, HostSample host) {
    public SampleBatch {
        agents = List.copyOf(agents);
    }
}
