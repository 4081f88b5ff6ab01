package dev.agentdeck.ui.notify;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.EventType;
import dev.agentdeck.ui.util.Messages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which events deserve a notification: a crash, a turn to unhealthy, a resource limit, giving up
 * (FATAL). At most one per agent every {@link #QUIET} (FATAL always shows), at most {@link #SUMMARIZE_OVER}
 * pop-ups in any {@link #QUIET} across agents, and what does not fit becomes one summary naming them, at most
 * one summary per {@link #QUIET}; so a crash loop or a bad deploy does not bury the screen. What is left out
 * is still in the events list and on the badges. Pure logic; the view shows what it returns.
 */
public final class NoticePolicy {
    static final Duration QUIET = Duration.ofSeconds(10);
    static final int SUMMARIZE_OVER = 3;
    private static final Set<EventType> NOTIFIED = Set.of(EventType.FAILED, EventType.UNHEALTHY, EventType.RESOURCE_LIMIT,
            EventType.FATAL);
    private final Messages msg;
    private final Map<String, Instant> lastShown = new HashMap<>();
    private final Deque<Instant> shown = new ArrayDeque<>();
    private Instant lastSummary;

    public NoticePolicy(Messages msg) {
        this.msg = msg;
    }

    /** The notices for one batch of events, given the agents' names. */
    public List<Notice> decide(List<AgentEvent> events, Map<String, String> names, Instant now) {
        List<Notice> out = new ArrayList<>();
        for (AgentEvent e : events) {
            if (!NOTIFIED.contains(e.type()) || e.agentId() == null) {
                continue;
            }
            Instant last = lastShown.get(e.agentId());
            if (last != null && now.isBefore(last.plus(QUIET)) && e.type() != EventType.FATAL) {
                continue;
            }
            lastShown.put(e.agentId(), now);
            String name = names.getOrDefault(e.agentId(), e.agentId());
            String key = "notice." + e.type().wireName();
            out.add(new Notice(msg.get(key, name), e.message(), e.type() != EventType.UNHEALTHY));
        }
        while (!shown.isEmpty() && !shown.peekFirst().isAfter(now.minus(QUIET))) {
            shown.removeFirst();
        }
        int room = Math.max(0, SUMMARIZE_OVER - shown.size());
        if (out.size() <= room) {
            out.forEach(n -> shown.addLast(now));
            return out;
        }
        if (lastSummary != null && now.isBefore(lastSummary.plus(QUIET))) {
            return List.of();
        }
        lastSummary = now;
        return List.of(new Notice(msg.get("notice.many", out.size()),
                String.join("\n", out.stream().map(Notice::title).toList()), true));
    }
}
