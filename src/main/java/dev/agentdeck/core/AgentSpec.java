package dev.agentdeck.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One agent as configured in agents.json: what to run, where, and how to supervise it.
 * Collections are never null (empty when absent); sections that have defaults are never null either.
 * Only {@code cwd}, {@code envFile}, {@code port}, {@code match}, {@code healthCheck}, {@code readyLogLine},
 * {@code schedule} and {@code instanceOf} may be null. {@code readyLogLine} is a regular expression: a run counts
 * as ready for its dependents once a line of its output matches it.
 * <p>
 * {@code instances} is 0 for a plain agent; N &ge; 1 makes the entry a definition that runs as N agents
 * {@code <id>-1..N} (see {@link Instances}), each of which carries {@code instanceOf} = the definition's id.
 * {@code schedule} is a cron expression that starts the agent at those times; {@code watch} lists paths whose
 * changes restart it. {@code daemon} is set for a program that daemonizes on purpose ({@link DaemonSpec}); null
 * otherwise, and then whatever a run leaves behind when its main process exits is stopped before the exit counts.
 */
public record AgentSpec(
        String id,
        String name,
        String type,
        String command,
        List<String> args,
        String cwd,
        Map<String, String> env,
        String envFile,
        Integer port,
        String match,
        boolean autostart,
        RestartSpec restart,
        StopSpec stop,
        HealthCheckSpec healthCheck,
        ResourceLimits resources,
        List<Dependency> dependsOn,
        List<String> tags,
        int instances,
        String readyLogLine,
        String schedule,
        List<String> watch,
        String instanceOf,
        DaemonSpec daemon) {

    public static final String DEFAULT_TYPE = "agent";

    public AgentSpec {
        Objects.requireNonNull(id, "id");
        name = name == null || name.isBlank() ? id : name;
        type = type == null || type.isBlank() ? DEFAULT_TYPE : type;
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        restart = restart == null ? RestartSpec.DEFAULT : restart;
        stop = stop == null ? StopSpec.DEFAULT : stop;
        resources = resources == null ? ResourceLimits.NONE : resources;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        tags = tags == null ? List.of() : List.copyOf(tags);
        watch = watch == null ? List.of() : List.copyOf(watch);
    }

    /** Whether this config entry runs as instances {@code <id>-1..N} rather than as one agent of its own id. */
    public boolean instanced() {
        return instances > 0;
    }

    /** The id of the agents.json entry this agent comes from: its own, or its definition's for an instance. */
    public String definitionId() {
        return instanceOf == null ? id : instanceOf;
    }

    /** A minimal spec: everything else takes its default. */
    public static AgentSpec of(String id, String command, List<String> args) {
        return builder(id).command(command).args(args).build();
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder starting from this spec, for edits. */
    public Builder toBuilder() {
        return new Builder(id).name(name).type(type).command(command).args(args).cwd(cwd).env(env).envFile(envFile)
                .port(port).match(match).autostart(autostart).restart(restart).stop(stop).healthCheck(healthCheck)
                .resources(resources).dependsOn(dependsOn).tags(tags).instances(instances).readyLogLine(readyLogLine)
                .schedule(schedule).watch(watch).instanceOf(instanceOf).daemon(daemon);
    }

    /** The ids this agent depends on, in order. */
    public List<String> dependencyIds() {
        return dependsOn.stream().map(Dependency::id).toList();
    }

    /** Fluent construction of specs, mostly for code and tests; agents.json goes through the config reader. */
    public static final class Builder {
        private String id;
        private String name;
        private String type;
        private String command;
        private List<String> args = List.of();
        private String cwd;
        private Map<String, String> env = Map.of();
        private String envFile;
        private Integer port;
        private String match;
        private boolean autostart;
        private RestartSpec restart = RestartSpec.DEFAULT;
        private StopSpec stop = StopSpec.DEFAULT;
        private HealthCheckSpec healthCheck;
        private ResourceLimits resources = ResourceLimits.NONE;
        private List<Dependency> dependsOn = List.of();
        private List<String> tags = List.of();
        private int instances;
        private String readyLogLine;
        private String schedule;
        private List<String> watch = List.of();
        private String instanceOf;
        private DaemonSpec daemon;

        private Builder(String id) {
            this.id = id;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder command(String v) { command = v; return this; }
        public Builder args(List<String> v) { args = v; return this; }
        public Builder args(String... v) { args = List.of(v); return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder env(Map<String, String> v) { env = v; return this; }
        public Builder envFile(String v) { envFile = v; return this; }
        public Builder port(Integer v) { port = v; return this; }
        public Builder match(String v) { match = v; return this; }
        public Builder autostart(boolean v) { autostart = v; return this; }
        public Builder restart(RestartSpec v) { restart = v; return this; }
        public Builder stop(StopSpec v) { stop = v; return this; }
        public Builder healthCheck(HealthCheckSpec v) { healthCheck = v; return this; }
        public Builder resources(ResourceLimits v) { resources = v; return this; }
        public Builder dependsOn(List<Dependency> v) { dependsOn = v; return this; }
        public Builder dependsOnIds(String... ids) {
            dependsOn = java.util.Arrays.stream(ids).map(Dependency::started).toList();
            return this;
        }
        public Builder tags(List<String> v) { tags = v; return this; }
        public Builder instances(int v) { instances = v; return this; }
        public Builder readyLogLine(String v) { readyLogLine = v; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder watch(List<String> v) { watch = v; return this; }
        public Builder instanceOf(String v) { instanceOf = v; return this; }
        public Builder daemon(DaemonSpec v) { daemon = v; return this; }

        public AgentSpec build() {
            return new AgentSpec(id, name, type, command, args, cwd, env, envFile, port, match, autostart, restart,
                    stop, healthCheck, resources, dependsOn, tags, instances, readyLogLine, schedule, watch, instanceOf, daemon);
        }
    }
}
