package dev.agentdeck.ui.main;

import dev.agentdeck.core.EngineException;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.GroupAction;
import dev.agentdeck.process.ProcessService;
import dev.agentdeck.ui.badges.AgentRowViewModel;
import dev.agentdeck.ui.util.Messages;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Groups: the agents that share a tag, started (in dependency order), stopped or restarted together through the
 * engine. The outcome goes to the status line as start-all's does, naming every agent that failed.
 */
public final class GroupsViewModel {
    private final ProcessService service;
    private final Executor ui;
    private final Messages msg;
    private final Collection<AgentRowViewModel> rows;
    private final Consumer<String> status;

    GroupsViewModel(ProcessService service, Executor ui, Messages msg, Collection<AgentRowViewModel> rows,
                    Consumer<String> status) {
        this.service = service;
        this.ui = ui;
        this.msg = msg;
        this.rows = rows;
        this.status = status;
    }

    /** Every tag in use, sorted. */
    public List<String> tags() {
        return tagsOf(rows);
    }

    /** The tags of some agents, sorted. */
    public static List<String> tagsOf(Collection<AgentRowViewModel> agents) {
        return List.copyOf(agents.stream().flatMap(r -> r.spec().tags().stream())
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    /** Starts, stops or restarts every agent tagged {@code tag}; the status line says how it went. */
    public CompletableFuture<BulkResult> run(String tag, GroupAction action) {
        String verb = action.name().toLowerCase(Locale.ROOT);
        status.accept(msg.get("group.running." + verb, tag));
        return service.group(tag, action).whenCompleteAsync((result, t) -> {
            if (t != null) {
                status.accept(EngineException.of(t).message());
            } else if (result.allOk()) {
                status.accept(msg.get("group.done." + verb, tag, result.items().size()));
            } else {
                status.accept(msg.get("status.bulkFailures", result.failures().size(), result.failures().stream()
                        .map(i -> i.id() + ": " + i.message()).collect(Collectors.joining("; "))));
            }
        }, ui);
    }
}
