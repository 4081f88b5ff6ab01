package dev.agentdeck.process;

import java.io.IOException;

/** {@link RestartPolicyTest} against a client attached to the engine over its API: the same checks must pass. */
class AttachedRestartPolicyTest extends RestartPolicyTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
