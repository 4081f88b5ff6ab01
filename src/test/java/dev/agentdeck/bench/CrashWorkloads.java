package dev.agentdeck.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Crash loops: one agent that exits 1 at once, on every manager with its default restart settings (PM2
 * with a high max_restarts), counting its starts for the window and judging from their spacing whether the
 * manager backs off, and from its status whether it gave up; and, for AgentDeck only, a storm of such
 * agents at once, costing the serve's CPU.
 */
final class CrashWorkloads {
    private final PeerOptions options;
    private final PeerResults results;

    CrashWorkloads(PeerOptions options, PeerResults results) {
        this.options = options;
        this.results = results;
    }

    /** One crash-looping agent for the crash window. */
    void crashLoop(String label, Manager.Session s, Fleet f) throws IOException, InterruptedException, WorkloadFailure {
        StartLog starts = new StartLog(f.pidFile());
        Cli cli = Cli.start(s.startAll(), s.env(), s.scratch());
        long end = cli.startNanos() + TimeUnit.SECONDS.toNanos(options.crashSeconds());
        while (System.nanoTime() < end) {
            starts.poll();
            Thread.sleep(10);
        }
        starts.poll();
        cli.finish(Duration.ZERO); // supervisorctl start waits until the agent is FATAL: it may still wait
        Cli.Run st = Cli.run(s.status(), s.env(), s.scratch(), Duration.ofSeconds(30));
        if (st.timedOut()) {
            throw new WorkloadFailure(Figure.CRASH_VERDICT, "status timed out after 30 s");
        }
        Manager.Tally t = s.tally(st.output());
        double perMinute = Math.max(0, starts.count() - 1) / (double) options.crashSeconds() * 60;
        results.add(Figure.CRASH_RESTARTS, label, perMinute);
        String verdict = (starts.backsOff() ? "backs off" : "no back-off") + ", "
                + (t.gaveUp() == 1 ? "gives up" : "does not give up");
        results.word(Figure.CRASH_VERDICT, label, verdict);
        System.out.printf(Locale.ROOT, "  %s: crash loop %d starts in %d s (%.0f restarts per minute), %s, gaps %s; status: %s%n",
                label, starts.count(), options.crashSeconds(), perMinute, verdict, starts.gapsText(), t.states());
    }

    /**
     * AgentDeck only: the storm fleet crash-looping at once, after the warm-up (so the serve's own start-up is
     * not counted); the serve's CPU over the crash window, and how many end FATAL.
     */
    void storm(String label, Manager.Session s, Fleet f) throws IOException, InterruptedException, WorkloadFailure {
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
        long pid = s.daemonPid();
        long cpu0 = Procs.cpuTicks(pid);
        Cli cli = Cli.start(s.startAll(), s.env(), s.scratch());
        long end = cli.startNanos() + TimeUnit.SECONDS.toNanos(options.crashSeconds());
        cli.finish(Duration.ofSeconds(options.crashSeconds()));
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        if (!Procs.alive(pid)) {
            throw new WorkloadFailure(Figure.STORM_CPU, "serve (PID " + pid + ") died during the storm");
        }
        double elapsed = (System.nanoTime() - cli.startNanos()) / 1e9;
        double perMinute = (Procs.cpuTicks(pid) - cpu0) / Procs.HZ / elapsed * 60;
        results.add(Figure.STORM_CPU, label, perMinute);
        Cli.Run st = Cli.run(s.status(), s.env(), s.scratch(), Duration.ofSeconds(30));
        Manager.Tally t = s.tally(st.output());
        results.word(Figure.STORM_FATAL, label, t.gaveUp() + " of " + f.size());
        System.out.printf(Locale.ROOT, "  %s: %d crash-looping agents, %.2f CPU-s per minute, %d starts, status: %s%n",
                label, f.size(), perMinute, f.pids(false).size(), t.states());
    }

    /** When each start of the agent was seen: new "a PID" lines in the PID file, polled every 10 ms. */
    private static final class StartLog {
        private final Path file;
        private final List<Long> seenAt = new ArrayList<>();
        private long offset;

        StartLog(Path file) {
            this.file = file;
        }

        void poll() throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long len = raf.length();
                if (len <= offset) {
                    return;
                }
                byte[] buf = new byte[(int) (len - offset)];
                raf.seek(offset);
                raf.readFully(buf);
                long now = System.nanoTime();
                for (byte b : buf) {
                    if (b == '\n') {
                        seenAt.add(now);
                    }
                }
                offset = len;
            }
        }

        int count() {
            return seenAt.size();
        }

        /**
         * Backs off when some gap between starts is at least twice the first and at least half a second (a
         * loop restarting at once has gaps of milliseconds, whatever their jitter). The largest gap, not the
         * last: supervisord's delays of 1, 2, 3 s restart from 1 s whenever it misjudges a quick exit as a
         * run that outlived startsecs.
         */
        boolean backsOff() {
            if (seenAt.size() < 3) {
                return false;
            }
            double first = seenAt.get(1) - seenAt.get(0);
            double largest = 0;
            for (int i = 1; i < seenAt.size(); i++) {
                largest = Math.max(largest, seenAt.get(i) - seenAt.get(i - 1));
            }
            return largest >= 2 * first && largest >= 5e8;
        }

        String gapsText() {
            List<String> g = new ArrayList<>();
            for (int i = 1; i < seenAt.size() && i <= 8; i++) {
                g.add(String.format(Locale.ROOT, "%.2f", (seenAt.get(i) - seenAt.get(i - 1)) / 1e9));
            }
            return g.isEmpty() ? "none" : String.join(", ", g) + (seenAt.size() > 9 ? ", ... s" : " s");
        }
    }
}
