package dev.agentdeck.process;

import java.io.IOException;

/** {@link StartStopTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedStartStopTest extends StartStopTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
