package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;

import java.util.List;

/** The outcome of start-all or stop-all: one line per agent, in the order they were handled. */
public record BulkResult(List<Item> items) {
    public BulkResult {
        items = List.copyOf(items);
    }

    /** One agent's outcome; {@code ok} false carries the reason (including "skipped: dependency x failed"). */
    public record Item(String id, boolean ok, AgentState state, String message) {
    }

    public boolean allOk() {
        return items.stream().allMatch(Item::ok);
    }

    public List<Item> failures() {
        return items.stream().filter(i -> !i.ok()).toList();
    }
}
