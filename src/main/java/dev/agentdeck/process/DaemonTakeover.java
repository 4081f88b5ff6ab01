package dev.agentdeck.process;

import dev.agentdeck.core.DaemonSpec;
import dev.agentdeck.core.EventType;
import dev.agentdeck.os.ProcInfo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Daemon mode for one agent ({@link DaemonSpec}, systemd's {@code Type=forking}): the launcher must exit 0
 * within the timeout; the daemon it leaves is then looked for (every 50 ms, then less often) and, once found,
 * becomes the run's main process: shown, sampled, health-checked, stopped and restarted as the agent. A
 * launcher that does not exit, fails, or leaves no daemon that can be attributed to its run fails the start.
 * Runs on the agent's serial executor, like the state machine it belongs to.
 */
final class DaemonTakeover {
    private static final long FIRST_LOOK_MS = 50;
    private static final long MAX_LOOK_MS = 1000;

    private final AgentSupervisor agent;

    DaemonTakeover(AgentSupervisor agent) {
        this.agent = agent;
    }

    /** A launcher was started: it must have exited by the timeout, or the start fails. */
    void expect(Run r) {
        DaemonSpec d = agent.spec().daemon();
        agent.ctx.timer.schedule(() -> agent.serial.execute(() -> {
            if (r == agent.run && r.exitCode == null && !r.stopRequested) {
                r.daemonFailure = "with \"daemon\" set, the command must daemonize and exit 0, but PID " + r.pid
                        + " was still running after " + d.timeoutSec() + " s";
                agent.ctx.stopper.stop(r.target(agent.id()), agent.spec().stop().signal(),
                        agent.spec().stop().timeoutSec() * 1000L, false); // its exit ends the run as failed
            }
        }), d.timeoutSec(), TimeUnit.SECONDS);
    }

    /** The launcher exited 0: look for the daemon it left until the timeout (counted from the launch). */
    void lookFor(Run r) {
        long deadline = r.startNanos + TimeUnit.SECONDS.toNanos(agent.spec().daemon().timeoutSec());
        Path cwd = cwdOf(r);
        agent.publish(agent.status().toBuilder().message("the launcher (PID " + r.pid + ") exited 0; looking for its daemon")
                .build());
        look(r, cwd, deadline, FIRST_LOOK_MS);
    }

    private void look(Run r, Path cwd, long deadlineNanos, long nextMs) {
        if (r != agent.run || r.stopRequested || r.ending) {
            return;
        }
        DaemonFinder.Result result = agent.ctx.daemons.look(agent.id(), agent.spec().daemon(), cwd, r.target(agent.id()));
        if (result instanceof DaemonFinder.Found found) {
            takeOver(r, found);
        } else if (result instanceof DaemonFinder.Refused refused) {
            fail(r, refused.why());
        } else if (System.nanoTime() >= deadlineNanos) {
            fail(r, "no daemon after " + agent.spec().daemon().timeoutSec() + " s: " + ((DaemonFinder.NotYet) result).why());
        } else {
            long wait = Math.min(nextMs, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            agent.ctx.timer.schedule(() -> agent.serial.execute(() -> look(r, cwd, deadlineNanos, Math.min(nextMs * 2, MAX_LOOK_MS))),
                    wait, TimeUnit.MILLISECONDS);
        }
    }

    private void fail(Run r, String why) {
        r.daemonFailure = "daemon mode: " + why;
        agent.exits.endLauncherRun(r);
    }

    /** The daemon becomes the run's main process. */
    private void takeOver(Run launcher, DaemonFinder.Found found) {
        EngineContext ctx = agent.ctx;
        ProcInfo p = found.daemon();
        boolean leads = p.pgid() == p.pid();
        Run d = new Run(ctx.launcher.watch(p.pid(), leads), launcher.errOffset, launcher.plannedCommandLine,
                launcher.startedAt, false);
        d.startTicks = p.startTicks();
        d.unit = launcher.unit;
        d.verified = true;
        d.readyMatched = true;
        String cmdline = ctx.table.commandLine(p.pid()).map(a -> String.join(" ", a)).orElse(launcher.plannedCommandLine);
        launcher.closeWatchers();
        ctx.units.untrack(agent.id(), launcher.unit);
        agent.run = d;
        ctx.liveLeaders.add(d.pid);
        ctx.units.track(d.target(agent.id()));
        agent.starts.writePidFile(d, p, cmdline);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pid", d.pid);
        details.put("launcherPid", launcher.pid);
        details.put("how", found.how());
        details.put("commandLine", cmdline);
        ctx.hub.publish(agent.id(), EventType.SPAWNED, "running as daemon PID " + d.pid + " (" + found.how()
                + "; the launcher, PID " + launcher.pid + ", exited 0)", details);
        agent.exits.daemonRunning(d);
    }

    private Path cwdOf(Run r) {
        LaunchPlan plan = agent.starts.plan(r);
        return plan == null ? agent.ctx.workspace.configDir() : plan.cwd();
    }
}
