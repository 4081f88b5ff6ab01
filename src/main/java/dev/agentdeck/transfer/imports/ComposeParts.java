package dev.agentdeck.transfer.imports;

import dev.agentdeck.core.HealthCheckSpec;
import dev.agentdeck.core.ProbeTiming;
import dev.agentdeck.core.RestartPolicy;
import dev.agentdeck.core.RestartSpec;
import dev.agentdeck.core.Signal;
import dev.agentdeck.core.SpecValidator;
import dev.agentdeck.core.StopSpec;

import java.util.List;
import java.util.Locale;

/**
 * The parts of a process-compose process that have an AgentDeck counterpart of their own: probes (as Kubernetes
 * probes, with process-compose's defaults), availability and shutdown.
 */
final class ComposeParts {
    private final Collector out;
    private final List<String> shell;

    /** {@code shell} is the program and its argument that run a command string, e.g. {@code sh -c}. */
    ComposeParts(Collector out, List<String> shell) {
        this.out = out;
        this.shell = shell;
    }

    List<String> shellCommand(String text) {
        return List.of(shell.get(0), shell.get(1), text);
    }

    /** The liveness probe (restarting) or else the readiness probe as the health check; null without probes. */
    HealthCheckSpec health(NodeFields f, String id) {
        NodeFields live = f.object("liveness_probe", k -> k);
        NodeFields ready = f.object("readiness_probe", k -> k);
        if (live != null && ready != null) {
            out.note(id, "readiness_probe", "AgentDeck has one health check per agent; the liveness probe is used");
        }
        return live != null ? probe(live, id, true) : ready != null ? probe(ready, id, false) : null;
    }

    private HealthCheckSpec probe(NodeFields p, String id, boolean restart) {
        ProbeTiming t = new ProbeTiming(seconds(p, "period_seconds", 10), seconds(p, "timeout_seconds", 1),
                count(p, "failure_threshold", 3), count(p, "success_threshold", 1),
                seconds(p, "initial_delay_seconds", 0));
        NodeFields http = p.object("http_get", k -> k);
        NodeFields exec = p.object("exec", k -> k);
        if (http != null) {
            String scheme = orElse(http.text("scheme"), "http").toLowerCase(Locale.ROOT);
            String host = orElse(http.text("host"), "127.0.0.1");
            String path = orElse(http.text("path"), "/");
            Long port = http.has("num_port") ? http.number("num_port", 1) : http.number("port", 1);
            if (port == null && !http.failed) {
                http.fail("port", "is required");
            }
            return http.failed ? null : new HealthCheckSpec.Http(scheme + "://" + host + ":" + port
                    + (path.startsWith("/") ? path : "/" + path), t, restart);
        }
        if (exec != null) {
            String command = exec.text("command");
            if (command == null) {
                exec.fail("command", "is required");
                return null;
            }
            if (exec.has("working_dir")) {
                out.note(id, exec.fieldOf("working_dir"), "a health check command runs in the agent's cwd");
            }
            return new HealthCheckSpec.Command(shellCommand(command), t, restart);
        }
        p.fail("http_get", "a probe needs http_get or exec");
        return null;
    }

    private static long seconds(NodeFields p, String name, long def) {
        Long n = p.number(name, 0);
        return (n == null ? def : Math.min(n, 86_400)) * 1000;
    }

    private static int count(NodeFields p, String name, int def) {
        Long n = p.number(name, 1);
        return n == null ? def : (int) Math.min(n, 1000);
    }

    /** The restart policy; process-compose restarts nothing unless availability says so. */
    RestartSpec restart(NodeFields f, String id) {
        RestartSpec d = RestartSpec.DEFAULT;
        NodeFields a = f.object("availability", k -> k);
        if (a == null) {
            return new RestartSpec(RestartPolicy.NEVER, d.delayMs(), d.maxDelayMs(), d.burst(), d.windowSec(),
                    d.resetAfterSec());
        }
        String r = orElse(a.text("restart"), "no").toLowerCase(Locale.ROOT);
        RestartPolicy policy = switch (r) {
            case "always" -> RestartPolicy.ALWAYS;
            case "on_failure", "on-failure" -> RestartPolicy.ON_FAILURE;
            case "no", "exit_on_failure" -> RestartPolicy.NEVER;
            default -> null;
        };
        if (policy == null) {
            a.fail("restart", "\"" + SpecValidator.printable(r) + "\" must be always, on_failure, exit_on_failure or no");
            return d;
        }
        if (r.equals("exit_on_failure")) {
            out.note(id, a.fieldOf("restart"), "process-compose ended every process when this one failed; AgentDeck"
                    + " leaves the other agents running");
        }
        long delay = seconds(a, "backoff_seconds", 1);
        Long max = a.number("max_restarts", 0);
        if (policy != RestartPolicy.NEVER && (max == null || max == 0)) {
            out.note(id, a.fieldOf("max_restarts"), "process-compose restarted without limit; AgentDeck gives up"
                    + " after " + d.burst() + " failed starts in " + d.windowSec() + " s (restart.burst)");
        }
        for (String key : List.of("exit_on_end", "exit_on_skipped")) {
            if (Boolean.TRUE.equals(a.bool(key))) {
                out.note(id, a.fieldOf(key), "AgentDeck never ends other agents because one ended");
            }
        }
        int burst = max == null || max == 0 ? d.burst() : (int) Math.min(max, 10_000);
        return new RestartSpec(policy, delay, delay, burst, d.windowSec(), d.resetAfterSec());
    }

    /** The stop signal and timeout; a shutdown command is not run. */
    StopSpec stop(NodeFields f, String id) {
        NodeFields s = f.object("shutdown", k -> k);
        if (s == null) {
            return StopSpec.DEFAULT;
        }
        Signal signal = Signal.TERM;
        Long number = s.number("signal", 1);
        if (number != null) {
            signal = number > 64 ? null : Signal.ofNumber(number.intValue());
            if (signal == null) {
                s.fail("signal", number + " is not a signal AgentDeck can send");
                signal = Signal.TERM;
            }
        }
        if (s.has("command")) {
            out.note(id, s.fieldOf("command"), "AgentDeck stops an agent with its stop signal; the shutdown command"
                    + " is not run");
        }
        if (Boolean.TRUE.equals(s.bool("parent_only"))) {
            out.note(id, s.fieldOf("parent_only"), "AgentDeck always signals the agent's whole process tree");
        }
        Long timeout = s.number("timeout_seconds", 0);
        return new StopSpec(signal, timeout == null ? 10 : (int) Math.min(timeout, 100_000));
    }

    static String orElse(String v, String def) {
        return v == null || v.isBlank() ? def : v;
    }
}
