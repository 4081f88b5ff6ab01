package dev.agentdeck.process;

import java.io.IOException;

/** {@link ConfigChangesTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedConfigChangesTest extends ConfigChangesTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
