package dev.agentdeck.app;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One engine per home: a second panel brings the first to the front, or names who holds the home. */
class PanelLaunchTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondPanelOnTheSameHomeBringsTheFirstToTheFrontAndEnds() throws Exception {
        TestHome home = new TestHome(tmp).agentsJson("{\"version\": 1, \"agents\": []}");
        CommandLine cl = CommandLine.parse("--home", home.dir().toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int[] exit = {-1};
        Optional<PanelLaunch.Claim> first = PanelLaunch.claim(cl, new PrintStream(err), exit);
        assertTrue(first.isPresent());
        AtomicInteger focused = new AtomicInteger();
        try (HomeLock lock = first.get().lock();
             LocalEngine engine = LocalEngine.open(home.workspace());
             ApiServer api = ApiServer.start(engine, home.workspace(), new ApiOptions(true, "127.0.0.1", 0, true, true),
                     "panel", focused::incrementAndGet)) {
            Optional<PanelLaunch.Claim> second = PanelLaunch.claim(cl, new PrintStream(err, true, StandardCharsets.UTF_8), exit);
            assertTrue(second.isEmpty(), "never two engines on one home");
            assertEquals(1, focused.get(), "the first panel was asked to come to the front");
            assertEquals(0, exit[0]);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("already open on " + home.dir() + " (PID "
                    + ProcessHandle.current().pid() + "); brought its window to the front"), err.toString());
        }
        // released: a panel can take the home again
        Optional<PanelLaunch.Claim> again = PanelLaunch.claim(cl, new PrintStream(err), exit);
        assertTrue(again.isPresent());
        again.get().lock().close();
    }

    @Test
    void aPanelOnAHomeThatServeHoldsAttachesInsteadOfTakingIt() throws Exception {
        TestHome home = new TestHome(tmp).agentsJson("{\"version\": 1, \"agents\": []}");
        try (HomeLock serve = HomeLock.tryAcquire(home.workspace(), "serve").orElseThrow()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int[] exit = {-1};
            Optional<PanelLaunch.Claim> none = PanelLaunch.claim(CommandLine.parse("--home", home.dir().toString()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), exit);
            assertTrue(none.isEmpty(), "a serve without its API cannot be attached to");
            assertEquals(1, exit[0]);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("is supervised by agentdeck serve (PID "
                    + ProcessHandle.current().pid() + ") without its API"), err.toString(StandardCharsets.UTF_8));

            new dev.agentdeck.api.ApiInfo(ProcessHandle.current().pid(), 7799, "http://127.0.0.1:7799").write(home.workspace().apiJson());
            exit[0] = -1;
            Optional<PanelLaunch.Claim> claim = PanelLaunch.claim(CommandLine.parse("--home", home.dir().toString()),
                    new PrintStream(err, true, StandardCharsets.UTF_8), exit);
            assertTrue(claim.orElseThrow().attach(), "no lock of its own: it attaches to the serve");
            assertEquals(-1, exit[0], "and it does not end");
            assertEquals("serve", HomeLock.holder(home.workspace()).kind(), "the serve keeps the home");
        }
    }
}
