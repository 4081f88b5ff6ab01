package dev.agentdeck.process;

import dev.agentdeck.config.ConfigWriter;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.core.ExitInfo;
import dev.agentdeck.history.HistoryStore;
import dev.agentdeck.metrics.AgentSample;
import dev.agentdeck.metrics.SampleBatch;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes what the engine publishes into history: every event, every sample, runs (from the statuses: a new
 * PID starts a run, the end of the process ends it) and config changes. Runs on the event hub's thread; the
 * store's writes never block it.
 */
final class HistoryRecorder implements EngineListener {
    private final HistoryStore store;
    private final String engineRun;
    private final Function<String, Optional<AgentSpec>> specs;
    private final Map<String, Long> openRuns = new HashMap<>();
    /** Each agent's spec as last recorded, to say what a change changed. */
    private final Map<String, AgentSpec> recorded = new HashMap<>();

    /**
     * @param engineRun identifies this engine's run, so event ids (run + sequence number) are unique across runs
     * @param agents    the agents the engine has as it starts recording
     */
    HistoryRecorder(HistoryStore store, String engineRun, Function<String, Optional<AgentSpec>> specs, List<AgentSpec> agents) {
        this.store = store;
        this.engineRun = engineRun;
        this.specs = specs;
        agents.forEach(a -> recorded.put(a.id(), a));
    }

    @Override
    public void onEvent(AgentEvent e) {
        store.event(engineRun + ":" + e.seq(), e);
        switch (e.type()) {
            case AGENT_ADDED, AGENT_CHANGED -> {
                AgentSpec now = specs.apply(e.agentId()).orElse(null);
                AgentSpec before = now == null ? null : recorded.put(e.agentId(), now);
                store.configChanged(e.agentId(), e.type().wireName(), now == null ? null : ConfigWriter.agent(now),
                        before == null || e.type() == EventType.AGENT_ADDED ? null : ConfigChanges.between(before, now));
            }
            case AGENT_REMOVED -> {
                recorded.remove(e.agentId());
                store.configChanged(e.agentId(), e.type().wireName(), null, null);
            }
            case CONFIG_RELOADED -> store.configChanged(null, e.type().wireName(), null, null);
            default -> {
            }
        }
    }

    @Override
    public void onStatus(AgentStatus s) {
        Long open = openRuns.get(s.id());
        if (s.pid() != null && !s.pid().equals(open)) {
            if (open != null) {
                store.runEnded(s.id(), open, ExitInfo.unknown(Instant.now(), 0, "replaced"));
            }
            store.runStarted(s.id(), s.pid(), s.origin().name().toLowerCase(java.util.Locale.ROOT),
                    s.startedAt() != null ? s.startedAt() : Instant.now());
            openRuns.put(s.id(), s.pid());
        } else if (s.pid() == null && open != null && !s.state().hasProcess()) {
            ExitInfo exit = s.lastExit() != null ? s.lastExit() : ExitInfo.unknown(Instant.now(), 0, null);
            store.runEnded(s.id(), open, exit);
            openRuns.remove(s.id());
        }
    }

    @Override
    public void onSamples(SampleBatch batch) {
        for (AgentSample a : batch.agents()) {
            store.sample(a.agentId(), a.at(), a.usage());
        }
        if (batch.host() != null) {
            store.host(batch.host());
        }
    }
}
