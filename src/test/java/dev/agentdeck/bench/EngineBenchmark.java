package dev.agentdeck.bench;

import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;
import dev.agentdeck.process.BulkResult;
import dev.agentdeck.process.LocalEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The engine's benchmark (issue 2): with N agents (default 100), over R runs (default 5):
 * start-all until every agent is verified RUNNING; graceful stop-all until every PID is gone (agents that
 * exit on TERM); stop-all of N agents that ignore TERM and have a child, with a 2 s stop timeout, counting
 * survivors. Run it with {@code mvn -Pbench -DskipTests verify}.
 */
public final class EngineBenchmark {
    private EngineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = BenchSupport.intArg(args, "--agents", 100);
        int runs = BenchSupport.intArg(args, "--runs", 5);
        System.out.println("AgentDeck engine benchmark: " + n + " agents, " + runs + " runs");
        System.out.println("machine: " + BenchSupport.machine());
        ProcessTable table = ProcessTable.forThisOs();
        List<Double> start = new ArrayList<>();
        List<Double> stop = new ArrayList<>();
        List<Double> stubborn = new ArrayList<>();
        int survivorsTotal = 0;
        runOnce(n, table, null, null, null); // warm-up, not counted
        long steal0 = BenchSupport.stealTicks();
        long t0 = System.nanoTime();
        for (int r = 0; r < runs; r++) {
            int[] survivors = new int[1];
            runOnce(n, table, start, stop, s -> survivors[0] = s);
            stubborn.add(stubbornStop(n, table, survivors));
            survivorsTotal += survivors[0];
            System.out.printf("run %d: start-all %.0f ms, stop-all %.0f ms, stubborn stop-all %.0f ms, survivors %d%n",
                    r + 1, start.get(r), stop.get(r), stubborn.get(r), survivors[0]);
        }
        System.out.println();
        System.out.println("| figure (N = " + n + ", " + runs + " runs) | median (min\u2013max) |");
        System.out.println("|---|---|");
        System.out.println("| start-all until all verified RUNNING | " + BenchSupport.summary(start, "ms") + " |");
        System.out.println("| graceful stop-all until every PID is gone | " + BenchSupport.summary(stop, "ms") + " |");
        System.out.println("| stop-all of TERM-ignoring agents with a child, timeoutSec 2 | "
                + BenchSupport.summary(stubborn, "ms") + " |");
        System.out.println("| survivors after stubborn stop-all (all runs) | " + survivorsTotal + " |");
        System.out.println("CPU stolen by the hypervisor during the runs: "
                + BenchSupport.stolen(steal0, (System.nanoTime() - t0) / 1e9));
    }

    private static void runOnce(int n, ProcessTable table, List<Double> start, List<Double> stop,
                                java.util.function.IntConsumer survivors) throws Exception {
        Path home = BenchSupport.tempHome("agentdeck-bench-");
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"s").append(i)
                    .append("\", \"command\": \"sleep\", \"args\": [\"300\"], \"restart\": {\"policy\": \"never\"}}");
        }
        Files.writeString(home.resolve("agents.json"), json.append("]}"));
        try (LocalEngine engine = LocalEngine.open(Workspace.home(home))) {
            long t0 = System.nanoTime();
            BulkResult started = engine.startAll().get(60, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            check(started, engine, AgentState.RUNNING);
            List<Long> pids = engine.statuses().stream().map(AgentStatus::pid).toList();
            long t2 = System.nanoTime();
            engine.stopAll().get(60, TimeUnit.SECONDS);
            long t3 = System.nanoTime();
            long alive = countAlive(table, pids);
            if (alive > 0) {
                throw new IllegalStateException(alive + " agents still run after stop-all");
            }
            if (start != null) {
                start.add((t1 - t0) / 1e6);
                stop.add((t3 - t2) / 1e6);
            }
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static double stubbornStop(int n, ProcessTable table, int[] survivors) throws Exception {
        Path home = BenchSupport.tempHome("agentdeck-bench-stubborn-");
        Path script = home.resolve("stubborn.sh");
        Files.writeString(script, "#!/bin/sh\ntrap '' TERM\nsleep 300 &\nwhile :; do wait; done\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\": \"t").append(i).append("\", \"command\": \"")
                    .append(script).append("\", \"stop\": {\"timeoutSec\": 2}, \"restart\": {\"policy\": \"never\"}}");
        }
        Files.writeString(home.resolve("agents.json"), json.append("]}"));
        try (LocalEngine engine = LocalEngine.open(Workspace.home(home))) {
            check(engine.startAll().get(60, TimeUnit.SECONDS), engine, AgentState.RUNNING);
            List<Long> leaders = engine.statuses().stream().map(AgentStatus::pid).toList();
            // wait until every agent has forked its child, then remember the whole trees
            List<Long> tree = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                tree.clear();
                ProcSnapshot snap = table.scan();
                for (long pid : leaders) {
                    snap.groupMembers(pid).stream().filter(p -> !p.zombie()).map(ProcInfo::pid).forEach(tree::add);
                }
                if (tree.size() >= 2 * n) {
                    break;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            }
            long t0 = System.nanoTime();
            engine.stopAll().get(60, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(500_000_000); // 2.5 s after the stop began
            survivors[0] = (int) countAlive(table, tree);
            return (t1 - t0) / 1e6;
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static void check(BulkResult result, LocalEngine engine, AgentState expected) {
        if (!result.allOk() || engine.statuses().stream().anyMatch(s -> s.state() != expected)) {
            throw new IllegalStateException("not every agent reached " + expected + ": " + result.failures());
        }
    }

    private static long countAlive(ProcessTable table, List<Long> pids) {
        ProcSnapshot snap = table.scan();
        return pids.stream().filter(p -> snap.get(p).map(i -> !i.zombie()).orElse(false)).count();
    }
}
