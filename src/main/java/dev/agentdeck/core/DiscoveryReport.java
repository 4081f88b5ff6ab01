package dev.agentdeck.core;

import java.util.List;

/**
 * What a discovery pass found, one sentence per finding: agents adopted, stale PID files moved aside,
 * ports held by other programs, and command lines matched by more than one process.
 */
public record DiscoveryReport(List<String> adopted, List<String> stale, List<String> conflicts, List<String> ambiguous) {
    public DiscoveryReport {
        adopted = List.copyOf(adopted);
        stale = List.copyOf(stale);
        conflicts = List.copyOf(conflicts);
        ambiguous = List.copyOf(ambiguous);
    }
}
