package dev.agentdeck.process;

import java.io.IOException;

/** {@link HealthCheckTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedHealthCheckTest extends HealthCheckTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
