package dev.agentdeck.process;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EventType;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.testutil.Await;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduled starts, driven by a clock the test sets, with real processes. */
class ScheduleTest extends EngineTestBase {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private final TestClock clock = new TestClock(at("2024-05-10T14:00:00"));

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZONE;
        }

        /** The same moving time, seen in another zone. */
        @Override
        public Clock withZone(ZoneId zone) {
            TestClock self = this;
            return new Clock() {
                @Override
                public ZoneId getZone() {
                    return zone;
                }

                @Override
                public Clock withZone(ZoneId other) {
                    return self.withZone(other);
                }

                @Override
                public Instant instant() {
                    return self.instant();
                }
            };
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Instant at(String local) {
        return java.time.LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }

    /** Opens the engine with {@code spec} unscheduled, then gives it {@code schedule} under the test's clock. */
    private void openScheduled(AgentSpec spec, String schedule) throws Exception {
        open("{\"version\": 1, \"agents\": []}");
        local.scheduler.useClock(clock);
        await(engine.addAgent(spec.toBuilder().schedule(schedule).build()));
        Await.until("the schedule is planned", WAIT, () -> local.nextScheduledRun(spec.id()).isPresent());
    }

    /** Moves the clock to {@code local} and lets the scheduler act as its timer would on waking. */
    private void fireAt(String localTime) {
        clock.set(at(localTime));
        local.scheduler.fireDue(clock.instant());
    }

    @Test
    void aScheduleStartsTheAgentAtItsMinuteAndNotBefore() throws Exception {
        openScheduled(AgentSpec.of("job", "sh", List.of("-c", "echo run; sleep 0.2")), "30 14 * * *");
        assertEquals(Optional.of(at("2024-05-10T14:30:00")), local.nextScheduledRun("job"));

        fireAt("2024-05-10T14:29:59");
        flushEvents();
        assertEquals(List.of(), log.events("job", EventType.SCHEDULE_FIRED));
        assertEquals(AgentState.STOPPED, engine.status("job").orElseThrow().state());

        fireAt("2024-05-10T14:30:00");
        Await.until("the scheduled run ran and exited", WAIT, () -> engine.status("job").orElseThrow().state() == AgentState.EXITED);
        assertTrue(home.read("logs/job.out.log").contains("run\n"), home.read("logs/job.out.log"));
        flushEvents();
        List<AgentEvent> fired = log.events("job", EventType.SCHEDULE_FIRED);
        assertEquals(1, fired.size());
        assertEquals(at("2024-05-10T14:30:00").toString(), fired.get(0).details().get("plannedFor"));
        assertEquals("scheduled run of 2024-05-10 14:30 (30 14 * * *)", fired.get(0).message());
        assertEquals(Optional.of(at("2024-05-11T14:30:00")), local.nextScheduledRun("job"));

        // a late wake (the timer at 14:31) fires nothing more: the next run is tomorrow's
        fireAt("2024-05-10T14:31:00");
        flushEvents();
        assertEquals(1, log.events("job", EventType.SCHEDULE_FIRED).size());
    }

    @Test
    void aRunDueWhileTheLastStillRunsIsSkippedAndRecorded() throws Exception {
        openScheduled(AgentSpec.of("slow", "sleep", List.of("30")), "*/1 * * * *");
        assertEquals(Optional.of(at("2024-05-10T14:01:00")), local.nextScheduledRun("slow"));
        fireAt("2024-05-10T14:01:00");
        AgentStatus running = Await.value("the first run is running", WAIT, () -> engine.status("slow").orElseThrow(),
                s -> s.state() == AgentState.RUNNING);
        started.add(running.pid());

        fireAt("2024-05-10T14:02:00");
        flushEvents();
        List<AgentEvent> skipped = log.events("slow", EventType.SCHEDULE_SKIPPED);
        assertEquals(1, skipped.size(), log.describe().toString());
        assertEquals("it is still running (PID " + running.pid() + ")", skipped.get(0).details().get("reason"));
        assertEquals("scheduled run of 2024-05-10 14:02 skipped: it is still running (PID " + running.pid() + ")",
                skipped.get(0).message());
        assertEquals(1, log.events("slow", EventType.SCHEDULE_FIRED).size());
        AgentStatus after = engine.status("slow").orElseThrow();
        assertEquals(AgentState.RUNNING, after.state());
        assertEquals(running.pid(), after.pid(), "the running process is untouched");
        assertEquals(running.startedAt(), after.startedAt());

        flushHistory();
        List<AgentEvent> recorded = await(engine.events(new EventQuery("slow", List.of("schedule_skipped"), null, null, null, 10)));
        assertEquals(List.of(skipped.get(0).message()), recorded.stream().map(AgentEvent::message).toList());
    }

    @Test
    void aClockJumpFiresOnceAndChangedOrRemovedSchedulesArePlannedAgain() throws Exception {
        openScheduled(AgentSpec.of("tick", "true", List.of()), "*/5 * * * *");
        // the clock jumped three hours: one late run, not 36
        fireAt("2024-05-10T17:00:30");
        flushEvents();
        assertEquals(1, log.events("tick", EventType.SCHEDULE_FIRED).size());
        assertEquals(Optional.of(at("2024-05-10T17:05:00")), local.nextScheduledRun("tick"));

        AgentSpec spec = engine.agents().get(0);
        await(engine.updateAgent(spec.toBuilder().schedule("@daily").build()));
        Await.until("the new schedule is planned", WAIT,
                () -> local.nextScheduledRun("tick").equals(Optional.of(at("2024-05-11T00:00:00"))));
        await(engine.updateAgent(spec.toBuilder().schedule(null).build()));
        Await.until("the schedule is gone", WAIT, () -> local.nextScheduledRun("tick").isEmpty());
    }

    @Test
    void aBadScheduleIsRefusedNamingTheField() throws Exception {
        open("{\"version\": 1, \"agents\": []}");
        Throwable t = failure(engine.addAgent(AgentSpec.builder("bad").command("true").schedule("*/5 25 * * *").build()));
        assertTrue(String.valueOf(((dev.agentdeck.core.EngineException) t).error().details())
                .contains("schedule: hour field \"25\": must be 0-23"), t.toString());
    }
}
