package dev.agentdeck.bench;

import dev.agentdeck.core.AgentSpec;
import dev.agentdeck.discovery.Discovery;
import dev.agentdeck.discovery.PidFile;
import dev.agentdeck.discovery.PidFiles;
import dev.agentdeck.os.ProcInfo;
import dev.agentdeck.os.ProcessTable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A full discovery pass (issue 4) with about 500 processes on the machine: 20 configured agents, 5 found by
 * AgentDeck's PID files, 5 by bare-integer PID files, 5 by command line, and 5 not running at all (so the
 * pass reads every process's command line). Median and min–max of 10 passes. Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.DiscoveryBenchmark -Dbench.args=}.
 */
public final class DiscoveryBenchmark {
    private DiscoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int target = BenchSupport.intArg(args, "--processes", 500);
        ProcessTable table = ProcessTable.forThisOs();
        List<Process> mine = new ArrayList<>();
        Path home = BenchSupport.tempHome("agentdeck-bench-discovery-");
        try {
            int existing = table.scan().size();
            for (int i = existing; i < target - 15; i++) {
                mine.add(new ProcessBuilder("sleep", "600").start());
            }
            PidFiles pidFiles = new PidFiles(Files.createDirectories(home.resolve("run")));
            List<AgentSpec> specs = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                Process p = new ProcessBuilder("sleep", String.valueOf(7000 + i)).start();
                mine.add(p);
                specs.add(AgentSpec.of("a" + i, "sleep", List.of(String.valueOf(7000 + i))));
            }
            for (int i = 15; i < 20; i++) {
                specs.add(AgentSpec.of("a" + i, "sleep", List.of(String.valueOf(7000 + i))));
            }
            dev.agentdeck.testutil.Await.until("the sleeps have exec'd", java.time.Duration.ofSeconds(10),
                    () -> mine.stream().allMatch(p -> ProcessHandle.of(p.pid()).flatMap(h -> h.info().command())
                            .map(c -> c.endsWith("sleep")).orElse(false)));
            for (int i = 0; i < 10; i++) {
                long pid = mine.get(mine.size() - 15 + i).pid();
                if (i < 5) {
                    ProcInfo info = table.read(pid).orElseThrow();
                    pidFiles.write(new PidFile(pid, table.startInstant(info.startTicks()), "sleep " + (7000 + i), "a" + i,
                            info.startTicks(), table.bootId(), null));
                } else {
                    Files.writeString(pidFiles.fileOf("a" + i), pid + "\n");
                }
            }
            System.out.println("AgentDeck discovery benchmark: " + table.scan().size() + " processes on the machine, "
                    + specs.size() + " agents");
            System.out.println("machine: " + BenchSupport.machine());
            List<Double> times = new ArrayList<>();
            for (int run = 0; run < 12; run++) {
                long t0 = System.nanoTime();
                List<Discovery.Finding> found = new Discovery(table, pidFiles, ProcessHandle.current().pid(), pid -> false).run(specs);
                double ms = (System.nanoTime() - t0) / 1e6;
                long adopted = found.stream().filter(f -> f instanceof Discovery.Adopt).count();
                if (adopted != 15) {
                    throw new IllegalStateException("expected 15 agents found, got " + adopted + ": " + found);
                }
                if (run >= 2) {
                    times.add(ms); // the first two warm the JIT
                }
            }
            System.out.println();
            System.out.println("| figure | median (min\u2013max) |");
            System.out.println("|---|---|");
            System.out.println("| full discovery pass, 20 agents, ~" + target + " processes | " + BenchSupport.summary(times, "ms") + " |");
        } finally {
            mine.forEach(Process::destroyForcibly);
            BenchSupport.deleteTree(home);
        }
    }
}
