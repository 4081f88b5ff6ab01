package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The peer benchmark (issue 9): the same workloads on {@code agentdeck serve}, supervisord (default settings,
 * and with stopasgroup/killasgroup) and PM2, the managers alternating within every round, each on a private
 * instance it starts and ends itself. Installs the missing peers first ({@link PeerInstall}). Prints progress
 * and a table of medians (min–max) with AgentDeck's ratios, writes it as Markdown to {@code --out}, and puts
 * it between the peers markers of {@code --readme}. Options: {@link PeerOptions}. Run it with
 * {@code mvn -B -ntp -Ppeers -DskipTests verify} (arguments in {@code -Dpeers.args=...}).
 */
public final class PeerBenchmark {
    private static final AtomicReference<Manager.Session> CURRENT = new AtomicReference<>();

    private PeerBenchmark() {
    }

    /** What one launch of a manager runs. */
    @FunctionalInterface
    private interface Workload {
        void run(String label, Manager.Session session, Fleet fleet) throws IOException, InterruptedException, WorkloadFailure;
    }

    public static void main(String[] args) throws Exception {
        PeerOptions o = PeerOptions.parse(args);
        System.out.println("AgentDeck peer benchmark: " + o);
        System.out.println("machine: " + BenchSupport.machine());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Manager.Session s = CURRENT.getAndSet(null);
            if (s != null) {
                s.close();
            }
        }));
        Path scratch = BenchSupport.tempHome("agentdeck-peers-");
        try {
            PeerInstall.Peers peers = PeerInstall.ensure(scratch);
            AgentDeckCommand deck = AgentDeckCommand.find();
            System.out.println("AgentDeck runs as " + deck.describe());
            AgentDeckManager agentDeck = new AgentDeckManager(deck, AgentDeckManager.versionOf(deck, scratch));
            SupervisordManager supervisord = new SupervisordManager(peers, false);
            SupervisordManager supervisordGroup = new SupervisordManager(peers, true);
            Pm2Manager pm2 = new Pm2Manager(peers);
            List<Manager> managers = List.of(agentDeck, supervisord, supervisordGroup, pm2);
            PeerResults results = new PeerResults();
            long steal0 = BenchSupport.stealTicks();
            long t0 = System.nanoTime();
            for (int r = 0; r < o.rounds(); r++) {
                List<Manager> order = new ArrayList<>(managers);
                Collections.rotate(order, -r);
                System.out.println("round " + (r + 1) + " of " + o.rounds() + ": "
                        + String.join(", ", order.stream().map(Manager::label).toList()));
                for (Manager m : order) {
                    round(m, o, results);
                }
            }
            String stolen = BenchSupport.stolen(steal0, (System.nanoTime() - t0) / 1e9);
            String markdown = report(o, managers, results, deck, peers, stolen);
            System.out.println();
            System.out.println(markdown);
            Files.createDirectories(o.out().toAbsolutePath().getParent());
            Files.writeString(o.out(), markdown);
            System.out.println("written to " + o.out());
            if (o.readme() != null) {
                ReadmeSection.replace(o.readme(), markdown);
            }
        } finally {
            BenchSupport.deleteTree(scratch);
        }
    }

    /** One manager's turn in a round: sleepers, stubborn agents, a crash loop (and AgentDeck's storm). */
    private static void round(Manager m, PeerOptions o, PeerResults results) {
        PeerWorkloads w = new PeerWorkloads(o, results);
        CrashWorkloads c = new CrashWorkloads(o, results);
        session(m, Fleet.Kind.SLEEPER, o.agents(), Figure.START_ALL, results, w::sleepers);
        session(m, Fleet.Kind.STUBBORN, o.agents(), Figure.STUBBORN_STOP, results, w::stubborn);
        session(m, Fleet.Kind.CRASHER, 1, Figure.CRASH_RESTARTS, results, c::crashLoop);
        if (m instanceof AgentDeckManager) {
            session(m, Fleet.Kind.CRASHER, o.stormAgents(), Figure.STORM_CPU, results, c::storm);
        }
    }

    /**
     * Launches the manager with a fleet, runs the workload, and always ends the manager and every process
     * it left; a failure becomes the figure's entry, and its folder is kept for a look.
     */
    private static void session(Manager m, Fleet.Kind kind, int size, Figure first, PeerResults results, Workload w) {
        Path dir = null;
        boolean keep = false;
        try {
            dir = Files.createTempDirectory("agentdeck-peers-" + kind.name().toLowerCase(java.util.Locale.ROOT) + "-");
            Fleet fleet = Fleet.write(kind, size, dir);
            try (Manager.Session s = m.launch(fleet, dir)) {
                CURRENT.set(s);
                w.run(m.label(), s, fleet);
            } finally {
                CURRENT.set(null);
            }
        } catch (WorkloadFailure e) {
            keep = true;
            results.problem(e.figure(), m.label(), e.getMessage());
            System.out.println("  " + m.label() + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            keep = true;
            results.problem(first, m.label(), "failed: " + e.getMessage());
            System.out.println("  " + m.label() + ": " + kind + " workload failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (keep && dir != null) {
                System.out.println("  kept " + dir + " for a look");
            } else if (dir != null) {
                BenchSupport.deleteTree(dir);
            }
        }
    }

    private static String report(PeerOptions o, List<Manager> managers, PeerResults results, AgentDeckCommand deck,
                                 PeerInstall.Peers peers, String stolen) {
        String head = "Measured with `mvn -B -ntp -Ppeers -DskipTests verify \"-Dpeers.args=" + o + "\"` on " + LocalDate.now() + ": " + BenchSupport.machine() + ". AgentDeck "
                + managers.get(0).version() + " (" + deck.describe() + "), supervisord " + peers.supervisordVersion()
                + ", PM2 " + peers.pm2Version() + "; N = " + o.agents() + ", " + o.rounds()
                + (o.rounds() == 1 ? " round" : " rounds, the managers alternating")
                + "; idle window " + o.idleSeconds() + " s after " + o.warmupSeconds()
                + " s, crash window " + o.crashSeconds() + " s. CPU stolen by the hypervisor meanwhile: " + stolen + ".\n\n";
        String notes = """

                - Times start when the manager's command is issued. "All running" ends when the manager's own status \
                command (`ctl --json status`, `supervisorctl status`, `pm2 jlist`) that first reported every agent \
                running was issued; `ctl start-all` and `supervisorctl start all` return only once they are. "Every \
                PID gone" is read from /proc for the PIDs the agents recorded, and also waits for the command to return.
                - Each launch of a manager runs one unmeasured start-all/stop-all cycle before the measured one.
                - supervisord keeps its defaults: startsecs=1 (start-all waits 1 s for it), startretries=3, \
                autorestart=unexpected, stopwaitsecs=10 (2 for the stubborn agents). PM2 stops with SIGINT, \
                kill_timeout 2000 for the stubborn agents, max_restarts 1000000 for the crash loop. AgentDeck: \
                default restart policy (doubling back-off from 1 s, FATAL after 5 failed starts in 300 s), default \
                metrics sampling, stop timeout 2 s for the stubborn agents.
                - Memory and CPU are the manager process's own (serve's JVM, supervisord, PM2's God daemon).
                """;
        return head + PeerTable.markdown(results, managers.stream().map(Manager::label).toList(), managers.get(1).label(),
                managers.get(3).label(), o.agents(), o.stormAgents()) + notes;
    }
}
