package dev.agentdeck.process;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Procs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an agent inherits from the engine, and the portable launch path used where posix_spawn is missing. */
class LaunchIsolationTest extends EngineTestBase {

    @Test
    void agentsInheritNoDescriptorOfTheEngineAndDefaultSignalHandling() throws Exception {
        open("""
                {"version": 1, "agents": [{"id": "quiet", "command": "sleep", "args": ["300"]}]}
                """);
        long pid = started("quiet").pid();
        List<String> fds;
        try (var dir = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = dir.map(f -> f.getFileName() + " -> " + readLink(f)).sorted().toList();
        }
        assertEquals(3, fds.size(), "only stdin, stdout and stderr: " + fds);
        assertEquals("0 -> /dev/null", fds.get(0));
        assertTrue(fds.get(1).endsWith("logs/quiet.out.log"), fds.toString());
        assertTrue(fds.get(2).endsWith("logs/quiet.err.log"), fds.toString());
        String blocked = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("SigBlk:")).findFirst().orElseThrow();
        assertTrue(blocked.endsWith("0000000000000000"), "no signal is blocked in the agent: " + blocked);
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    @Test
    void theProcessBuilderPathStartsAndStopsWholeTreesToo() throws Exception {
        Path childPidFile = home.file("child.pid");
        home.script("stubborn", """
                trap '' TERM
                sleep 300 &
                echo $! > "$1"
                while :; do wait; done
                """);
        System.setProperty("agentdeck.noPosixSpawn", "true");
        try {
            open("""
                    {"version": 1, "agents": [{"id": "s", "command": "bin/stubborn", "args": ["%s"], "stop": {"timeoutSec": 1}}]}
                    """.formatted(childPidFile));
        } finally {
            System.clearProperty("agentdeck.noPosixSpawn");
        }
        long pid = started("s").pid();
        assertEquals(pid, Procs.pgid(pid), "setsid made it a group leader");
        Await.until("the child PID was written", WAIT, () -> Procs.readPid(childPidFile) > 0);
        long child = Procs.readPid(childPidFile);
        started.add(child);
        assertEquals(AgentState.STOPPED, await(engine.stop("s")).state());
        assertFalse(Procs.running(pid));
        assertFalse(Procs.running(child));
        assertTrue(Files.exists(home.file("logs/s.out.log")));
    }
}
