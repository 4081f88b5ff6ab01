package dev.agentdeck.bench;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.ui.MainWindow;
import dev.agentdeck.ui.util.FxStallMonitor;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentdeck.testutil.Fx.fx;

/**
 * The panel under load: N sleeping agents plus one that prints 50,000 lines a second, all started from the
 * real main window, with that agent's log open both in the detail area and in the log viewer. Reports FX
 * pulses, stalls over 50 ms (aim: none), the longest gap, and the heap after the flood.
 * Runs headless with Monocle (the system properties below) or on a display with {@code --display}.
 */
public final class PanelStressBenchmark {
    private PanelStressBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = BenchSupport.intArg(args, "--agents", 199); // plus the flood: 200, the default maxAgents
        int seconds = BenchSupport.intArg(args, "--seconds", 30);
        int linesPerSecond = BenchSupport.intArg(args, "--lines", 50_000);
        if (!List.of(args).contains("--display")) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        Path home = BenchSupport.tempHome("agentdeck-panel-bench");
        try {
            run(home, agents, seconds, linesPerSecond);
        } finally {
            BenchSupport.deleteTree(home);
        }
        System.exit(0);
    }

    private static void run(Path home, int agents, int seconds, int linesPerSecond) throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path flood = bin.resolve("flood");
        int perTick = linesPerSecond / 100;
        // perl keeps up 50k lines/s on one core; each tick writes a burst and sleeps to the next 10 ms slot
        Files.writeString(flood, """
                #!/bin/sh
                exec perl -e '$|=0; use Time::HiRes qw(time sleep); my $n=0; my $t=time;
                  while (1) { for (1..%d) { $n++; my $l = ($n %% 50 == 0) ? "ERROR" : ($n %% 7 == 0 ? "WARN" : "INFO");
                    print "2026-11-23T10:00:00.000Z $l flood line $n with a payload to make it about a hundred bytes\\n"; }
                    $|=1; $|=0; $t += 0.01; my $d = $t - time; sleep($d) if $d > 0; }'
                """.formatted(perTick));
        flood.toFile().setExecutable(true);
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [\n");
        json.append("{\"id\": \"flood\", \"name\": \"Flood\", \"command\": \"bin/flood\", \"restart\": {\"policy\": \"never\"}}");
        for (int i = 0; i < agents; i++) {
            json.append(",\n{\"id\": \"a").append(i).append("\", \"command\": \"sleep\", \"args\": [\"600\"], \"tags\": [\"bench\"]}");
        }
        json.append("]}\n");
        Files.writeString(home.resolve("agents.json"), json);
        Workspace workspace = Workspace.home(home);

        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(30, TimeUnit.SECONDS);
        LocalEngine engine = LocalEngine.open(workspace);
        TimedExecutor ui = new TimedExecutor();
        MainWindow window = fx(() -> {
            MainWindow w = new MainWindow(engine, ui, "bench");
            Stage stage = new Stage();
            w.show(stage, "AgentDeck bench");
            return w;
        });
        FxStallMonitor monitor = fx(() -> {
            FxStallMonitor m = new FxStallMonitor(50);
            m.start();
            return m;
        });
        System.out.printf(Locale.ROOT, "machine: %s%n", BenchSupport.machine());
        long t0 = System.nanoTime();
        engine.startAll().get(120, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "start-all of %d agents from the panel: %d ms; FX stalls during it: %d (longest gap %.0f ms)%n",
                agents + 1, (System.nanoTime() - t0) / 1_000_000, fx(() -> monitor.stallsMs().size()), fx(monitor::longestGapMs));
        fx(() -> {
            window.showLogs("flood");
            window.openLogs(List.of("flood"));
            monitor.reset();
            ui.reset();
            return null;
        });
        long steal = BenchSupport.stealTicks();
        Path floodLog = workspace.logsDir().resolve("flood.out.log");
        long floodStart = lastFloodLine(floodLog);
        long runStart = System.nanoTime();
        long target = (long) linesPerSecond * seconds;
        // the run lasts until the flood has printed its quota (about `seconds` at its rate)
        dev.agentdeck.testutil.Await.until("the flood printed " + target + " lines", java.time.Duration.ofSeconds(seconds * 3L),
                () -> {
                    try {
                        return lastFloodLine(floodLog) - floodStart >= target;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
        double measured = (System.nanoTime() - runStart) / 1e9;
        long floodLines = lastFloodLine(floodLog) - floodStart;
        System.out.println("flood agent: " + engine.status("flood").map(s -> s.state() + " pid " + s.pid() + " " + s.message()).orElse("?"));
        List<Double> stalls = fx(monitor::stallsMs);
        long pulses = fx(monitor::pulses);
        double longest = fx(monitor::longestGapMs);
        long running = engine.statuses().stream().filter(s -> s.state() == AgentState.RUNNING).count();
        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        System.out.printf(Locale.ROOT, "%d agents running, flood wrote %,d lines/s for %d s%n",
                running, Math.round(floodLines / measured), Math.round(measured));
        System.out.printf(Locale.ROOT, "FX pulses: %d (%.0f/s); stalls over 50 ms: %d %s; longest gap: %.0f ms%n",
                pulses, pulses / measured, stalls.size(), stalls.size() > 10 ? stalls.subList(0, 10) + "…" : stalls, longest);
        System.out.printf(Locale.ROOT, "AgentDeck's own work on the FX thread: %,d updates, longest %.1f ms, over 50 ms: %d, total %.1f s (%.0f %% of the FX thread)%n",
                ui.count.get(), ui.longestNanos.get() / 1e6, ui.over50.get(), ui.totalNanos.get() / 1e9, 100 * ui.totalNanos.get() / 1e9 / measured);
        System.out.printf(Locale.ROOT, "heap after the flood (after GC): %d MiB; CPU stolen by the hypervisor: %s%n",
                heapMb, BenchSupport.stolen(steal, measured));
        fx(() -> {
            monitor.stop();
            window.close();
            return null;
        });
        engine.stopAll().get(120, TimeUnit.SECONDS);
        engine.close();
    }

    /** Runs UI updates on the FX thread and times each: the app's own share of the FX thread. */
    private static final class TimedExecutor implements java.util.concurrent.Executor {
        final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong totalNanos = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong longestNanos = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong over50 = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public void execute(Runnable r) {
            Platform.runLater(() -> {
                long t = System.nanoTime();
                try {
                    r.run();
                } finally {
                    long d = System.nanoTime() - t;
                    count.incrementAndGet();
                    totalNanos.addAndGet(d);
                    longestNanos.accumulateAndGet(d, Math::max);
                    if (d > 50_000_000) {
                        over50.incrementAndGet();
                    }
                }
            });
        }

        void reset() {
            count.set(0);
            totalNanos.set(0);
            longestNanos.set(0);
            over50.set(0);
        }
    }

    /** The number in the flood's last line ("... flood line N ..."). */
    private static long lastFloodLine(Path log) throws java.io.IOException {
        List<String> last = dev.agentdeck.logs.LogFileReader.linesBefore(log, Files.size(log), 1).lines();
        if (last.isEmpty()) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("flood line (\\d+)").matcher(last.get(0));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
