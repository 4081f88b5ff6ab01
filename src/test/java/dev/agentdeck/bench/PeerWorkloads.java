package dev.agentdeck.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The workloads, each run the same way on every manager through its own command line. Times start when the
 * command is issued. "All running" is the manager's own status command reporting every agent running; the
 * time ends when the status call that first reported it was issued (so it does not include that call's own
 * cost, which is a figure of its own). "Every PID gone" is the PIDs the agents recorded, read from /proc.
 */
final class PeerWorkloads {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private final PeerOptions options;
    private final PeerResults results;

    PeerWorkloads(PeerOptions options, PeerResults results) {
        this.options = options;
        this.results = results;
    }

    /** Sleeping agents: an unmeasured start/stop cycle, then start-all, the idle window, status, graceful stop-all. */
    void sleepers(String label, Manager.Session s, Fleet f) throws IOException, InterruptedException, WorkloadFailure {
        startAll(s, f, Figure.START_ALL);
        stopAll(s, f, Figure.GRACEFUL_STOP, false);
        f.reset();
        double start = startAll(s, f, Figure.START_ALL);
        results.add(Figure.START_ALL, label, start);
        idle(label, s);
        status(label, s, f);
        double stop = stopAll(s, f, Figure.GRACEFUL_STOP, false);
        results.add(Figure.GRACEFUL_STOP, label, stop);
        progress(label, "start-all %.2f s, graceful stop-all %.2f s", start, stop);
    }

    /** Stubborn agents: start-all, wait until each has its child, then the timed stop-all and its survivors. */
    void stubborn(String label, Manager.Session s, Fleet f) throws IOException, InterruptedException, WorkloadFailure {
        startAll(s, f, Figure.STUBBORN_STOP);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (f.pids(true).size() < 2 * f.size()) {
            if (System.nanoTime() > deadline) {
                throw new WorkloadFailure(Figure.STUBBORN_STOP, "the agents did not all fork their child in 30 s");
            }
            Thread.sleep(20);
        }
        int[] survivors = {-1};
        try {
            double stop = stopAll(s, f, Figure.STUBBORN_STOP, true, () -> survivors[0] = alive(f));
            results.add(Figure.STUBBORN_STOP, label, stop);
            progress(label, "stubborn stop-all %.2f s, %d of %d processes alive at 2.5 s", stop, survivors[0],
                    f.pids(true).size());
        } finally {
            if (survivors[0] >= 0) {
                results.add(Figure.SURVIVORS, label, survivors[0]);
            }
            Thread.sleep(500);
            int left = alive(f);
            results.add(Figure.LEFT_BEHIND, label, left);
            progress(label, "%d processes left behind", left);
        }
    }

    private static int alive(Fleet f) {
        return (int) f.pids(true).stream().filter(Procs::alive).count();
    }

    /** The manager's CPU and RSS over the idle window, after the warm-up. */
    private void idle(String label, Manager.Session s) throws InterruptedException, WorkloadFailure {
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
        long pid = s.daemonPid();
        long cpu0 = Procs.cpuTicks(pid);
        long t0 = System.nanoTime();
        long maxRss = 0;
        for (int i = 0; i < options.idleSeconds(); i++) {
            Thread.sleep(1000);
            maxRss = Math.max(maxRss, Procs.rssKb(pid));
        }
        if (!Procs.alive(pid)) {
            throw new WorkloadFailure(Figure.IDLE_CPU, "the manager (PID " + pid + ") died during the idle window");
        }
        double cpuPerMinute = (Procs.cpuTicks(pid) - cpu0) / Procs.HZ / ((System.nanoTime() - t0) / 1e9) * 60;
        results.add(Figure.IDLE_CPU, label, cpuPerMinute);
        results.add(Figure.IDLE_RSS, label, maxRss / 1024.0);
        progress(label, "idle %.3f CPU-s per minute, RSS max %.1f MiB", cpuPerMinute, maxRss / 1024.0);
    }

    /** Ten status calls of all agents, each timed. */
    private void status(String label, Manager.Session s, Fleet f) throws IOException, InterruptedException, WorkloadFailure {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Cli.Run r = Cli.run(s.status(), s.env(), s.scratch(), Duration.ofSeconds(30));
            if (r.timedOut() || s.tally(r.output()).running() != f.size()) {
                throw new WorkloadFailure(Figure.STATUS, r.timedOut() ? "timeout after 30 s"
                        : "status did not show all running: " + s.tally(r.output()).states());
            }
            times.add(r.seconds());
            results.add(Figure.STATUS, label, r.seconds());
        }
        progress(label, "status %s", BenchSupport.summary(times, "s", 2));
    }

    /** Issues start-all and returns the seconds until the manager's status first reports every agent running. */
    double startAll(Manager.Session s, Fleet f, Figure figure) throws IOException, InterruptedException, WorkloadFailure {
        Cli cli = Cli.start(s.startAll(), s.env(), s.scratch());
        Cli.Run r = cli.finish(Duration.ofSeconds(120));
        if (r.timedOut()) {
            throw new WorkloadFailure(figure, "timeout after 120 s (start-all did not return)");
        }
        long deadline = r.endNanos() + TimeUnit.SECONDS.toNanos(60);
        String states = "";
        while (System.nanoTime() < deadline) {
            long asked = System.nanoTime();
            Cli.Run st = Cli.run(s.status(), s.env(), s.scratch(), Duration.ofSeconds(30));
            Manager.Tally t = s.tally(st.output());
            if (t.running() == f.size()) {
                return (asked - cli.startNanos()) / 1e9;
            }
            states = t.states();
        }
        throw new WorkloadFailure(figure, String.format(Locale.ROOT, "timeout after %.0f s (not all running: %s; %s)",
                (System.nanoTime() - cli.startNanos()) / 1e9, states, r.describe()));
    }

    private double stopAll(Manager.Session s, Fleet f, Figure figure, boolean stubborn)
            throws IOException, InterruptedException, WorkloadFailure {
        return stopAll(s, f, figure, stubborn, null);
    }

    /**
     * Issues stop-all and returns the seconds until it returned and every agent PID is gone; runs
     * {@code at2500ms} 2.5 s after the issue (the survivor count), even when the stop overruns.
     */
    private double stopAll(Manager.Session s, Fleet f, Figure figure, boolean stubborn, Runnable at2500ms)
            throws IOException, InterruptedException, WorkloadFailure {
        List<Long> left = new ArrayList<>(f.pids(false).stream().filter(Procs::alive).toList());
        int timeout = stubborn ? Math.max(60, 30 + 3 * f.size() / 2) : 120;
        Cli cli = Cli.start(s.stopAll(), s.env(), s.scratch());
        long t0 = cli.startNanos();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(timeout);
        long goneAt = -1;
        Runnable pending = at2500ms;
        while (goneAt < 0 || !cli.done() || pending != null) {
            long now = System.nanoTime();
            if (pending != null && now - t0 >= 2_500_000_000L) {
                pending.run();
                pending = null;
            }
            // agents stop in any order: only the last one still listed is checked, the others when it went
            while (!left.isEmpty() && !Procs.alive(left.get(left.size() - 1))) {
                left.remove(left.size() - 1);
            }
            if (goneAt < 0 && left.isEmpty()) {
                goneAt = now;
            }
            if (now > deadline) {
                boolean returned = cli.done();
                cli.finish(Duration.ZERO);
                long running = left.stream().filter(Procs::alive).count();
                throw new WorkloadFailure(figure, "timeout after " + timeout + " s (" + running + " agents still running"
                        + (returned ? "" : ", stop-all had not returned") + ")");
            }
            Thread.sleep(POLL_NANOS / 1_000_000, (int) (POLL_NANOS % 1_000_000));
        }
        Cli.Run r = cli.finish(Duration.ofSeconds(5));
        return (Math.max(r.endNanos(), goneAt) - t0) / 1e9;
    }

    private static void progress(String label, String format, Object... args) {
        System.out.println("  " + label + ": " + String.format(Locale.ROOT, format, args));
    }
}
