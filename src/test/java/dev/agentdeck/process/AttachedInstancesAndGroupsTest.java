package dev.agentdeck.process;

import java.io.IOException;

/** {@link InstancesAndGroupsTest} against a client attached to the engine over its API. */
class AttachedInstancesAndGroupsTest extends InstancesAndGroupsTest {
    @Override
    ProcessService over(LocalEngine e) throws IOException {
        return attach(e);
    }
}
