package dev.agentdeck.ui;

import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.testutil.TestHome;

/** {@link MainViewModelTest} with the ViewModels attached to the engine over its API: the same checks must pass. */
class AttachedMainViewModelTest extends MainViewModelTest {
    @Override
    ProcessService over(LocalEngine e, TestHome home) throws Exception {
        return attach(e, home);
    }
}
