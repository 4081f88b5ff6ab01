package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PM2 with a private PM2_HOME in a temp folder (its own God daemon, socket and logs; never the user's),
 * driven with {@code pm2 start ECOSYSTEM.json}, {@code pm2 stop all} and {@code pm2 jlist}, and ended with
 * {@code pm2 kill} on that home. Apps are the fleet's script with {@code interpreter: none}, autorestart on,
 * {@code kill_timeout: 2000} for stubborn agents and a max_restarts high enough never to stop a crash loop
 * in the measured window (PM2's default of 16 would).
 */
final class Pm2Manager implements Manager {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PeerInstall.Peers peers;

    Pm2Manager(PeerInstall.Peers peers) {
        this.peers = peers;
    }

    @Override
    public String label() {
        return "PM2";
    }

    @Override
    public String version() {
        return peers.pm2Version();
    }

    @Override
    public Session launch(Fleet fleet, Path dir) throws IOException, InterruptedException {
        Path pm2Home = Files.createDirectories(dir.resolve("pm2home"));
        ObjectNode eco = JSON.createObjectNode();
        ArrayNode apps = eco.putArray("apps");
        for (int i = 0; i < fleet.size(); i++) {
            ObjectNode app = apps.addObject().put("name", Fleet.id(i)).put("script", fleet.script().toString())
                    .put("interpreter", "none").put("exec_mode", "fork").put("autorestart", true);
            app.putArray("args").add(fleet.pidFile().toString());
            if (fleet.shortStop()) {
                app.put("kill_timeout", 2000);
            }
            if (fleet.kind() == Fleet.Kind.CRASHER) {
                app.put("max_restarts", 1_000_000);
            }
        }
        Path ecosystem = dir.resolve("ecosystem.json");
        Files.writeString(ecosystem, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(eco));
        long since = Procs.nowTicks();
        Pm2Session session = new Pm2Session(fleet, dir, pm2Home, ecosystem, since);
        try {
            Cli.Run ping = Cli.run(session.pm2("ping"), session.env(), dir, Duration.ofSeconds(60));
            if (!ping.ok() || session.daemonPid() <= 0) {
                throw new IOException("the PM2 daemon did not start: " + ping.describe());
            }
            return session;
        } catch (IOException | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private final class Pm2Session implements Session {
        private final Fleet fleet;
        private final Path dir;
        private final Path pm2Home;
        private final Path ecosystem;
        private final long since;
        private long god;

        Pm2Session(Fleet fleet, Path dir, Path pm2Home, Path ecosystem, long since) {
            this.fleet = fleet;
            this.dir = dir;
            this.pm2Home = pm2Home;
            this.ecosystem = ecosystem;
            this.since = since;
        }

        List<String> pm2(String... args) {
            List<String> cmd = new ArrayList<>(peers.pm2());
            cmd.addAll(List.of(args));
            return cmd;
        }

        @Override
        public List<String> startAll() {
            return pm2("start", ecosystem.toString());
        }

        @Override
        public List<String> stopAll() {
            return pm2("stop", "all");
        }

        @Override
        public List<String> status() {
            return pm2("jlist");
        }

        @Override
        public Map<String, String> env() {
            return Map.of("PM2_HOME", pm2Home.toString());
        }

        @Override
        public Tally tally(String statusOutput) {
            List<String> states = new ArrayList<>();
            try {
                // pm2 may print notices before the JSON
                int at = statusOutput.indexOf('[');
                for (JsonNode p : JSON.readTree(at < 0 ? statusOutput : statusOutput.substring(at))) {
                    states.add(p.path("pm2_env").path("status").asText());
                }
            } catch (IOException e) {
                return new Tally(0, 0, "unreadable jlist: " + statusOutput.strip());
            }
            return Tally.of(states, List.of("online"), List.of("errored"));
        }

        /** The God daemon, from PM2_HOME/pm2.pid, once it started after this session began. */
        @Override
        public long daemonPid() {
            if (god <= 0) {
                try {
                    long pid = Long.parseLong(Files.readString(pm2Home.resolve("pm2.pid")).strip());
                    god = Procs.aliveSince(pid, since) ? pid : 0;
                } catch (IOException | NumberFormatException e) {
                    return 0;
                }
            }
            return god;
        }

        @Override
        public Path scratch() {
            return dir;
        }

        @Override
        public void close() {
            long pid = daemonPid();
            java.util.Map<Long, Long> below = Sweep.below(pid);
            try {
                Cli.Run kill = Cli.run(pm2("kill"), env(), dir, Duration.ofSeconds(60));
                if (!kill.ok()) {
                    System.out.println("  " + kill.describe());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pid > 0 && Procs.aliveSince(pid, since) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                System.out.println("  pm2 kill failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Sweep.leftovers(label(), fleet, below, pid, since);
        }
    }
}
