package dev.agentdeck.process;

import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Descendants that outlive their agent's stop by a moment end as the engine's zombies: they are reaped soon. */
class OrphanReapTest extends EngineTestBase {

    @Test
    void aChildThatEndsJustAfterItsParentIsReapedWithinSeconds() throws Exception {
        Path childPidFile = home.file("child.pid");
        // the child takes 0.3 s to end after TERM, so it outlives the agent and is re-parented to the engine
        home.script("parent", """
                sh -c 'trap "sleep 0.3; exit 0" TERM; while :; do sleep 0.05; done' &
                echo $! > "$1"
                wait
                """);
        open("""
                {"version": 1, "agents": [{"id": "parent", "command": "bin/parent", "args": ["%s"]}]}
                """.formatted(childPidFile));
        started("parent");
        Await.until("the agent wrote its child's PID", WAIT, () -> Procs.readPid(childPidFile) > 0);
        long child = Procs.readPid(childPidFile);
        started.add(child);
        assertTrue(Procs.running(child));

        await(engine.stop("parent"));
        // the idle process scan comes once a minute; an orphan's zombie must not wait for it
        Await.until("the child is gone and reaped, not left a zombie", Duration.ofSeconds(8),
                () -> Procs.state(child) == 0);
    }
}
