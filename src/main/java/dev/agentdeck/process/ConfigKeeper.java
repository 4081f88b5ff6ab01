package dev.agentdeck.process;

import dev.agentdeck.config.ConfigException;
import dev.agentdeck.config.ConfigStore;
import dev.agentdeck.config.FileStamp;
import dev.agentdeck.config.WorkspaceConfig;
import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.core.EngineException;
import dev.agentdeck.core.ErrorCode;
import dev.agentdeck.core.Problem;
import dev.agentdeck.core.Secrets;
import dev.agentdeck.core.SpecValidator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Owns a workspace's agents.json on the engine's side: the config in force, the stamp of the bytes it came
 * from, and its problems. Changes from the engine (add, edit, remove) and from outside (an editor) are
 * serialized on one executor; anything refused or invalid leaves the file and the config as they were.
 */
final class ConfigKeeper {
    /** What a reload changed, by id. */
    record Diff(List<AgentSpec> added, List<AgentSpec> changed, List<String> removed, WorkspaceConfig config) {
        boolean empty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    private final ConfigStore store;
    private final SerialExecutor serial;
    private final Function<AgentSpec, List<Problem>> machineChecks;
    private volatile WorkspaceConfig config;
    private volatile List<Problem> problems;
    private FileStamp stamp;

    /**
     * @param machineChecks the problems that would stop a spec from starting here (cwd, command, env file),
     *                      placed as {@code agents[i] "id"}
     */
    ConfigKeeper(ConfigStore store, Executor pool, ConfigStore.Loaded loaded, List<Problem> problems,
                 Function<AgentSpec, List<Problem>> machineChecks) {
        this.store = store;
        this.serial = new SerialExecutor(pool);
        this.config = loaded.config();
        this.stamp = loaded.stamp();
        this.problems = List.copyOf(problems);
        this.machineChecks = machineChecks;
    }

    WorkspaceConfig config() {
        return config;
    }

    List<Problem> problems() {
        return problems;
    }

    /**
     * Problems of {@code next} as a whole, plus the machine checks of {@code changed} at its place in it, and any
     * env value of it that is still a mask (a secret shown masked and saved unchanged where it stands for
     * nothing, as in an agent made from a template) and not already what the file holds.
     */
    List<Problem> problemsOf(WorkspaceConfig next, AgentSpec changed) {
        List<Problem> out = new ArrayList<>(SpecValidator.validate(next.agents()));
        if (changed != null) {
            String where = SpecValidator.where(next.indexOf(changed.id()), changed.id());
            out.addAll(machineChecks.apply(changed).stream().map(p -> new Problem(where, p.what())).toList());
            Map<String, String> held = config.agents().stream().filter(a -> a.id().equals(changed.id())).findFirst()
                    .map(AgentSpec::env).orElse(Map.of());
            changed.env().forEach((k, v) -> {
                String masked = v.equals(held.get(k)) ? null : Secrets.maskedProblem(k, v);
                if (masked != null) {
                    out.add(new Problem(where, masked));
                }
            });
        }
        return out;
    }

    /** Validates and saves a change; the future fails (and nothing is written) when it is refused. */
    CompletableFuture<WorkspaceConfig> mutate(Function<WorkspaceConfig, WorkspaceConfig> change, AgentSpec changed) {
        CompletableFuture<WorkspaceConfig> f = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                if (!problems.isEmpty()) {
                    throw new EngineException(ErrorCode.CONFLICT, store.file().getFileName()
                            + " has problems; fix the file first (it was not changed)",
                            problems.stream().map(Problem::toString).toList());
                }
                WorkspaceConfig next = change.apply(config);
                if (next.equals(config)) {
                    f.complete(next);
                    return;
                }
                List<Problem> found = problemsOf(next, changed);
                if (!found.isEmpty()) {
                    throw new EngineException(ErrorCode.INVALID, (changed == null ? "the change" : "agent \""
                            + changed.id() + "\"") + " was not saved: " + found.size() + " problem"
                            + (found.size() == 1 ? "" : "s"), found.stream().map(Problem::toString).toList());
                }
                stamp = store.save(next, stamp);
                config = next;
                f.complete(next);
            } catch (EngineException e) {
                f.completeExceptionally(e);
            } catch (ConfigException e) {
                f.completeExceptionally(new EngineException(ErrorCode.CONFLICT, e.getMessage().lines().findFirst().orElse(""),
                        e.problemLines()));
            } catch (IOException e) {
                f.completeExceptionally(new EngineException(ErrorCode.IO, "could not save " + store.file() + ": " + e.getMessage()));
            }
        });
        return f;
    }

    /**
     * Reads agents.json again after an outside change. Completes with what changed (empty when the file is
     * what the engine already has); fails with every problem when the new file is invalid, changing nothing.
     */
    CompletableFuture<Diff> reload() {
        CompletableFuture<Diff> f = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                ConfigStore.Loaded loaded = store.load();
                if (loaded.stamp().equals(stamp)) {
                    f.complete(new Diff(List.of(), List.of(), List.of(), config));
                    return;
                }
                Diff diff = diff(config, loaded.config());
                config = loaded.config();
                stamp = loaded.stamp();
                problems = List.of();
                f.complete(diff);
            } catch (ConfigException e) {
                f.completeExceptionally(new EngineException(ErrorCode.INVALID, store.file().getFileName()
                        + " was changed on disk but has " + e.problems().size() + " problem(s); nothing was applied",
                        e.problemLines()));
            }
        });
        return f;
    }

    private static Diff diff(WorkspaceConfig before, WorkspaceConfig after) {
        Map<String, AgentSpec> old = before.agents().stream().collect(Collectors.toMap(AgentSpec::id, s -> s));
        List<AgentSpec> added = new ArrayList<>();
        List<AgentSpec> changed = new ArrayList<>();
        for (AgentSpec s : after.agents()) {
            AgentSpec o = old.remove(s.id());
            if (o == null) {
                added.add(s);
            } else if (!o.equals(s)) {
                changed.add(s);
            }
        }
        return new Diff(added, changed, List.copyOf(old.keySet()), after);
    }
}
