package dev.agentdeck.os;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Another process's environment variables, several in one read, and the user it runs as (Linux). */
class ProcessTableEnvironmentTest {
    @Test
    void readsSeveralVariablesInOneReadAndTheOwner() throws Exception {
        ProcessTable table = ProcessTable.forThisOs();
        Assumptions.assumeTrue(table.readsEnvironments(), "environments are read on Linux only");
        ProcessBuilder pb = new ProcessBuilder("sleep", "30");
        pb.environment().put("AGENTDECK_TEST_A", "one");
        pb.environment().put("AGENTDECK_TEST_B", "two=2");
        pb.environment().put("XAGENTDECK_TEST_C", "not C");
        Process p = pb.start();
        try {
            Map<String, String> env = table.environmentVariables(p.pid(), List.of("AGENTDECK_TEST_A", "AGENTDECK_TEST_B", "AGENTDECK_TEST_C"));
            assertEquals(Map.of("AGENTDECK_TEST_A", "one", "AGENTDECK_TEST_B", "two=2"), env);
            assertEquals("one", table.environmentVariable(p.pid(), "AGENTDECK_TEST_A").orElseThrow());
            long self = table.uid(ProcessHandle.current().pid());
            assertTrue(self >= 0, "this JVM's user is known");
            assertEquals(self, table.uid(p.pid()), "a child runs as this user");
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        assertEquals(Map.of(), table.environmentVariables(p.pid(), List.of("AGENTDECK_TEST_A")), "gone: nothing to read");
        assertEquals(-1, table.uid(p.pid()), "gone: no owner");
    }
}
