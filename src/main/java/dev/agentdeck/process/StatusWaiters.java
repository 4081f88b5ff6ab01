package dev.agentdeck.process;

import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Futures that complete when an agent's status meets a condition (a dependency became healthy, a job
 * completed), fail when the condition can no longer be met, or fail at their timeout with what they waited
 * for. Checked on every status the agent publishes; used only on the agent's serial executor.
 */
final class StatusWaiters {
    private record Waiter(Predicate<AgentStatus> met, Function<AgentStatus, String> hopeless,
                          CompletableFuture<AgentStatus> future) {
    }

    private final List<Waiter> waiters = new ArrayList<>();

    /**
     * @param hopeless returns why the condition can no longer be met, or null while it still can
     */
    CompletableFuture<AgentStatus> add(AgentStatus now, Predicate<AgentStatus> met, Function<AgentStatus, String> hopeless) {
        CompletableFuture<AgentStatus> f = new CompletableFuture<>();
        Waiter w = new Waiter(met, hopeless, f);
        if (!decide(w, now)) {
            waiters.add(w);
        }
        return f;
    }

    void check(AgentStatus status) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.future().isDone() || decide(w, status)) {
                it.remove();
            }
        }
    }

    private static boolean decide(Waiter w, AgentStatus s) {
        if (w.met().test(s)) {
            w.future().complete(s);
            return true;
        }
        String why = w.hopeless().apply(s);
        if (why != null) {
            w.future().completeExceptionally(new EngineException(ErrorCode.FAILED, why));
            return true;
        }
        return false;
    }
}
