package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.CronExpression;
import dev.agentdeck.core.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Starts agents that have a {@code schedule} at the times their cron expression names, on the engine's timer.
 * <p>
 * At a planned time an agent that still has a process (starting, running, stopping, paused) or waits in
 * BACKOFF to restart on its own is not started again: the run is skipped with a SCHEDULE_SKIPPED event saying
 * why. Otherwise SCHEDULE_FIRED is published and the agent is started; a start that fails reports itself.
 * <p>
 * Times come from the injected clock, re-read at each wake, and each agent's next time is planned from the
 * moment it fired, so a late wake fires once and a jump of the clock never replays a burst of missed runs.
 * The timer wakes at least every {@link #MAX_SLEEP} to notice such jumps. Runs missed while the engine was not
 * running are not caught up: plans start from the time the engine (or the agent's schedule) appeared.
 * The plan follows the agent list through the engine's AGENT_ADDED/CHANGED/REMOVED and CONFIG_RELOADED events.
 */
final class AgentScheduler implements EngineListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentScheduler.class);
    static final Duration MAX_SLEEP = Duration.ofSeconds(60);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Supplier<List<AgentSpec>> agents;
    private final ScheduledExecutorService timer;
    private final Function<String, Optional<AgentStatus>> status;
    private final Function<String, CompletableFuture<AgentStatus>> start;
    private final EventHub hub;
    private final Subscription subscription;
    private volatile Clock clock;
    /** By agent id; guarded by this. */
    private Map<String, Plan> plans = new HashMap<>();
    private ScheduledFuture<?> wake;
    private boolean closed;

    private record Plan(String schedule, CronExpression cron, Instant next) {
    }

    AgentScheduler(Supplier<List<AgentSpec>> agents, Clock clock, ScheduledExecutorService timer,
                   Function<String, Optional<AgentStatus>> status, Function<String, CompletableFuture<AgentStatus>> start,
                   EventHub hub) {
        this.agents = agents;
        this.clock = clock;
        this.timer = timer;
        this.status = status;
        this.start = start;
        this.hub = hub;
        this.subscription = hub.subscribe(this);
        resync();
    }

    /** When the agent's schedule starts it next, if it has one. */
    synchronized Optional<Instant> nextRun(String id) {
        return Optional.ofNullable(plans.get(id)).map(Plan::next);
    }

    @Override
    public void onEvent(AgentEvent e) {
        switch (e.type()) {
            case AGENT_ADDED, AGENT_CHANGED, AGENT_REMOVED, CONFIG_RELOADED -> {
                try {
                    timer.execute(this::resync);
                } catch (RejectedExecutionException closing) {
                    // the engine is closing
                }
            }
            default -> {
            }
        }
    }

    /** Plans the agents with a schedule; an unchanged schedule keeps its next time. */
    synchronized void resync() {
        if (closed) {
            return;
        }
        Map<String, Plan> next = new HashMap<>();
        for (AgentSpec a : agents.get()) {
            if (a.schedule() == null) {
                continue;
            }
            Plan old = plans.get(a.id());
            if (old != null && old.schedule().equals(a.schedule())) {
                next.put(a.id(), old);
                continue;
            }
            try {
                CronExpression cron = CronExpression.parse(a.schedule());
                next.put(a.id(), new Plan(a.schedule(), cron, after(cron, clock.instant())));
            } catch (IllegalArgumentException e) {
                LOG.warn("agent {} has a schedule that does not parse ({}); it is not scheduled", a.id(), e.getMessage());
            }
        }
        plans = next;
        arm();
    }

    /** Fires (or skips) every agent whose planned time is at or before {@code now}, then plans its next time from now. */
    synchronized void fireDue(Instant now) {
        if (closed) {
            return;
        }
        for (Map.Entry<String, Plan> e : plans.entrySet()) {
            Plan p = e.getValue();
            if (!p.next().isAfter(now)) {
                fire(e.getKey(), p, now);
                e.setValue(new Plan(p.schedule(), p.cron(), after(p.cron(), now)));
            }
        }
        arm();
    }

    /** Tests: plans every schedule again from {@code c}'s time, and uses it from now on. */
    synchronized void useClock(Clock c) {
        clock = c;
        plans.replaceAll((id, p) -> new Plan(p.schedule(), p.cron(), after(p.cron(), c.instant())));
        arm();
    }

    private void fire(String id, Plan p, Instant now) {
        AgentStatus st = status.apply(id).orElse(null);
        if (st == null) {
            return; // not (yet) an agent of the engine
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("schedule", p.schedule());
        details.put("plannedFor", p.next().toString());
        String when = SHOWN.format(p.next().atZone(clock.getZone()));
        AgentState state = st.state();
        if (state.hasProcess() || state == AgentState.BACKOFF) {
            String reason = state == AgentState.BACKOFF ? "it is waiting to restart after a failure"
                    : "it is still " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + (st.pid() == null ? "" : " (PID " + st.pid() + ")");
            details.put("reason", reason);
            details.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
            hub.publish(id, EventType.SCHEDULE_SKIPPED, "scheduled run of " + when + " skipped: " + reason, details);
            return;
        }
        hub.publish(id, EventType.SCHEDULE_FIRED, "scheduled run of " + when + " (" + p.schedule() + ")", details);
        start.apply(id).exceptionally(t -> null); // a failed start publishes its own events
    }

    private Instant after(CronExpression cron, Instant t) {
        return cron.next(t.atZone(clock.getZone())).toInstant();
    }

    /** Sleeps until the earliest planned time, at most {@link #MAX_SLEEP}. */
    private void arm() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        Instant earliest = plans.values().stream().map(Plan::next).min(Instant::compareTo).orElse(null);
        if (earliest == null || closed) {
            return;
        }
        long ms = Math.max(0, Math.min(MAX_SLEEP.toMillis(), Duration.between(clock.instant(), earliest).toMillis()));
        try {
            wake = timer.schedule(this::onWake, ms, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the engine is closing
        }
    }

    private void onWake() {
        try {
            fireDue(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("scheduled starts failed", e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        subscription.close();
        if (wake != null) {
            wake.cancel(false);
        }
    }
}
