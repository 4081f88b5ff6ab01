package dev.agentdeck.process;

import java.util.concurrent.CompletableFuture;

/**
 * A process the engine started: its PID, whether it leads its own process group, and its exit code once it
 * has ended and been reaped (128 + n when signal n ended it).
 */
interface ChildProcess {
    long pid();

    boolean ownGroup();

    CompletableFuture<Integer> exit();
}
