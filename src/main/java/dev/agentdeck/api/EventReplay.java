package dev.agentdeck.api;

import dev.agentdeck.config.Json;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.process.ProcessService;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The events a reconnecting client missed: those still held in memory after the id it saw last, preceded by
 * an {@code event: gap} frame when some are no longer held or when the id is from an earlier run of the engine.
 */
final class EventReplay {
    private EventReplay() {
    }

    /**
     * Adds the replay after event {@code after} to {@code out}.
     *
     * @param restarted the client's id is known to be from an earlier run of the engine
     */
    static void after(ProcessService engine, long after, boolean restarted, Function<AgentEvent, SseClient.Frame> frame,
                      Consumer<SseClient.Frame> out) {
        List<AgentEvent> all = engine.recentEvents(0);
        long newest = all.isEmpty() ? 0 : all.get(all.size() - 1).seq();
        if (restarted || after > newest) {
            // an id above the newest was seen from an earlier run of the engine: everything held is new
            out.accept(gap(1, newest, "the engine restarted; ids began again at 1"));
            after = 0;
        }
        long since = after;
        List<AgentEvent> held = all.stream().filter(e -> e.seq() > since).toList();
        long first = held.isEmpty() ? Long.MAX_VALUE : held.get(0).seq();
        if (first > after + 1 && first != Long.MAX_VALUE) {
            out.accept(gap(after + 1, first - 1, "no longer held in memory; see GET /api/spawn/history/events"));
        }
        held.forEach(e -> out.accept(frame.apply(e)));
    }

    private static SseClient.Frame gap(long from, long to, String reason) {
        return new SseClient.Frame(0, "event: gap\ndata: " + Json.compact(Map.of("missedFrom", from, "missedTo", to,
                "reason", reason)) + "\n\n");
    }
}
