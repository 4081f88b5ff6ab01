package dev.agentdeck.process;

import java.io.IOException;

/** {@link BulkTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedBulkTest extends BulkTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
