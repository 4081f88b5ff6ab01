package dev.agentdeck.process;

import dev.agentdeck.config.Templates;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.core.DiscoveryReport;
import dev.agentdeck.core.EngineStats;
import dev.agentdeck.core.EngineSummary;
import dev.agentdeck.history.EventQuery;
import dev.agentdeck.history.HistoryExport;
import dev.agentdeck.history.HistorySummary;
import dev.agentdeck.history.RunRecord;
import dev.agentdeck.history.SamplePoint;
import dev.agentdeck.logs.LogSource;
import dev.agentdeck.metrics.HostSample;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Signal;
import dev.agentdeck.transfer.ExportFile;
import dev.agentdeck.transfer.ExportFormat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The engine facade: the one thing the panel's ViewModels, the API and {@code ctl} talk to. Calls that can
 * block return {@link CompletableFuture}s, completed exceptionally with an
 * {@link dev.agentdeck.core.EngineException} on failure; state flows out to subscribers as immutable
 * snapshots and events, so nobody polls. Implemented in-process by {@link LocalEngine}; a client over the
 * REST/SSE API ({@link dev.agentdeck.remote.RemoteEngine}) stands in for it when the engine runs elsewhere.
 */
public interface ProcessService extends AutoCloseable {

    /**
     * The agents, in the user's order: agents.json's entries, with each definition of {@code instances: N}
     * expanded into its instances ({@link dev.agentdeck.core.Instances}).
     */
    List<AgentSpec> agents();

    /** The latest snapshot of every agent, in the same order. */
    List<AgentStatus> statuses();

    Optional<AgentStatus> status(String id);

    /** Problems of agents.json when it could not be loaded (then no agent is configured); empty when fine. */
    List<Problem> configProblems();

    CompletableFuture<AgentStatus> start(String id);

    /** Graceful stop: the agent's stop signal to its whole tree, KILL after its timeout. */
    CompletableFuture<AgentStatus> stop(String id);

    /** KILL to the whole tree at once. */
    CompletableFuture<AgentStatus> kill(String id);

    CompletableFuture<AgentStatus> restart(String id);

    /** SIGSTOP to the agent's process group. */
    CompletableFuture<AgentStatus> pause(String id);

    /** SIGCONT to the agent's process group. */
    CompletableFuture<AgentStatus> resume(String id);

    /** Sends a signal to the agent's main process (STOP, CONT and KILL act as pause, resume and kill). */
    CompletableFuture<AgentStatus> signal(String id, Signal signal);

    /** Starts every agent in dependency order, independent ones in parallel. */
    CompletableFuture<BulkResult> startAll();

    /** Stops every agent in reverse dependency order. */
    CompletableFuture<BulkResult> stopAll();

    /**
     * Checks a spec as if it were added or saved: config rules, the machine (cwd, command, env file), and whether
     * another program holds its port (reported here, where the user can act on it; saving does not refuse it).
     */
    CompletableFuture<List<Problem>> validate(AgentSpec spec);

    /** Adds an agent and saves agents.json; refused (nothing saved) when invalid or the id is taken. */
    CompletableFuture<AgentSpec> addAgent(AgentSpec spec);

    /** Replaces an agent's spec and saves; a running agent keeps running, marked as changed. */
    CompletableFuture<AgentSpec> updateAgent(AgentSpec spec);

    /** Stops the agent if it runs, removes it and saves. */
    CompletableFuture<Void> removeAgent(String id);

    /**
     * Adds several agents in one save (an import): all of them or, when any is refused, none; the failure names
     * every problem.
     */
    CompletableFuture<List<AgentSpec>> addAgents(List<AgentSpec> specs);

    /**
     * The agents.json entry an agent comes from: its own spec, or for an instance ({@code web-2}) the definition
     * ({@code web}) with its placeholders unresolved. This is what an editor edits.
     */
    CompletableFuture<AgentSpec> definition(String id);

    /**
     * Runs {@code instances} copies of the definition {@code id} (an instance's id names its definition). The
     * instances that stay are not touched; those beyond the new count are stopped and removed; a plain agent
     * becomes a definition (it is stopped and replaced by its instances {@code id-1..N}).
     */
    CompletableFuture<AgentSpec> scale(String id, int instances);

    /** Starts (in dependency order), stops or restarts every agent tagged {@code tag}; refused for an unknown tag. */
    CompletableFuture<BulkResult> group(String tag, GroupAction action);

    /** The built-in and the user's templates, and the problems of template files that could not be read. */
    CompletableFuture<Templates.Loaded> templates();

    /**
     * Saves the definition of agent {@code agentId} as the user template {@code templateId} (replacing a user
     * template of that id), so new agents can be made from it.
     */
    CompletableFuture<Templates.Template> saveTemplate(String agentId, String templateId, String name, String description);

    /** The definitions of the agents {@code ids} (every one when empty) written in {@code format}. */
    CompletableFuture<List<ExportFile>> exportAs(ExportFormat format, List<String> ids);

    /** Agents at a glance: counts by state, and the CPU and memory of all running agents together. */
    EngineSummary summary();

    /**
     * The engine's own counters (spawn requests, successes, failures, control commands, errors). Attached, this
     * asks the engine (a short wait), so it is not for the FX thread.
     */
    EngineStats stats();

    /** The latest host sample (CPU, memory, swap, load), once one was taken. */
    Optional<HostSample> host();

    /**
     * Samples an agent (or, with {@code null}, the host) at the full metrics rate while the subscription is
     * open; agents nobody watches are sampled less often.
     */
    Subscription watchMetrics(String agentId);

    /**
     * Reads agents.json again after an outside edit and applies the difference: new agents appear, changed
     * ones are marked changed (restarted only on request), removed ones are removed when not running (or
     * stopped first when settings say so, else marked until someone stops them). An invalid file is reported
     * with every problem and changes nothing. The engine also does this by itself when the file changes.
     */
    CompletableFuture<Void> reloadConfig();

    /**
     * Looks for agents that already run (by PID file, port and command line) and adopts them, so none is
     * started twice; stale PID files are moved aside and reported, never acted on.
     */
    CompletableFuture<DiscoveryReport> refresh();

    /** Agents' output: their stdout and stderr logs, read back and followed while they grow. */
    LogSource logs();

    /** Why history is not kept (history.db could not be opened), or empty when it is. */
    Optional<String> historyProblem();

    /** How the engine attributes processes to runs on this machine (cgroup v2, tracking, or groups only), and why. */
    dev.agentdeck.core.Containment containment();

    /** The agent's runs, newest first. */
    CompletableFuture<List<RunRecord>> runs(String agentId, int limit);

    /** Recorded events that pass the filter, newest first. */
    CompletableFuture<List<AgentEvent>> events(EventQuery query);

    /** The agent's resource samples in [from, to) at chart resolution (at most {@code maxPoints} points). */
    CompletableFuture<List<SamplePoint>> samples(String agentId, Instant from, Instant to, int maxPoints);

    /** Uptime share, restarts per day, mean and peak CPU and memory of an agent over [from, to). */
    CompletableFuture<HistorySummary> historySummary(String agentId, Instant from, Instant to);

    /** The agent's config and history as one document. */
    CompletableFuture<HistoryExport> exportAgent(String agentId);

    /**
     * Brings an export back: adds the agent when it is not configured (refused when an agent of that id exists
     * with another configuration), then its history, keeping rows already recorded.
     */
    CompletableFuture<AgentSpec> importAgent(HistoryExport export);

    /** Events still held in memory with a sequence number above {@code afterSeq}, oldest first. */
    List<AgentEvent> recentEvents(long afterSeq);

    /**
     * Whether the engine is reached. In-process always; a client over the API tells its listeners when this
     * changes, and shows nothing it has not received from the engine.
     */
    default Connection connection() {
        return Connection.IN_PROCESS;
    }

    /** Tries to reach a lost engine now rather than when the back-off ends (nothing to do in-process). */
    default void reconnect() {
    }

    /** Subscribes to statuses and events, from now on. */
    Subscription subscribe(EngineListener listener);

    /** Ends supervision. Agents keep running unless the settings say to stop them on exit. */
    @Override
    void close();
}
