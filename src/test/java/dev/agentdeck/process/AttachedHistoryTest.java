package dev.agentdeck.process;

import java.io.IOException;

/** {@link HistoryTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedHistoryTest extends HistoryTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
