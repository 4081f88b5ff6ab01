package dev.agentdeck.testutil;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.process.EngineListener;

import java.util.ArrayList;
import java.util.List;

/** Records what an engine publishes, for assertions. */
public final class EventLog implements EngineListener {
    private final List<AgentEvent> events = new ArrayList<>();
    private final List<AgentStatus> statuses = new ArrayList<>();

    @Override
    public synchronized void onEvent(AgentEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void onStatus(AgentStatus status) {
        statuses.add(status);
    }

    public synchronized List<AgentEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<AgentEvent> events(String agentId, EventType type) {
        return events.stream().filter(e -> agentId.equals(e.agentId()) && e.type() == type).toList();
    }

    public synchronized List<AgentStatus> statuses(String agentId) {
        return statuses.stream().filter(s -> s.id().equals(agentId)).toList();
    }

    public synchronized List<AgentEvent> ofType(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    public synchronized List<String> describe() {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.seq() + " " + e.agentId() + " " + e.type().wireName() + " " + e.message()));
        return out;
    }
}
