package dev.agentdeck.testutil;

import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.ProcessService;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Ends a test's engine: stops every agent through it (whole trees), closes it, then KILLs any PID the test saw. */
public final class Engines {
    private Engines() {
    }

    public static void stopAndClose(ProcessService engine, List<Long> started) throws Exception {
        if (engine != null) {
            engine.statuses().stream().map(AgentStatus::pid).filter(Objects::nonNull).forEach(started::add);
            try {
                engine.stopAll().get(30, TimeUnit.SECONDS);
            } finally {
                engine.close();
            }
        }
        Procs.killAll(started);
    }
}
