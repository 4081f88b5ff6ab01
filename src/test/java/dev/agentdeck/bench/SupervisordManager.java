package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * supervisord run in the foreground as our child, on its own config and a private unix socket in a temp
 * folder (never the system's service), driven with {@code supervisorctl -c CONF}. Programs keep
 * supervisord's defaults (startsecs=1, startretries=3, autorestart=unexpected, stopwaitsecs=10) except
 * {@code autostart=false} and stopwaitsecs=2 for stubborn agents; the group variant adds
 * stopasgroup/killasgroup.
 */
final class SupervisordManager implements Manager {
    private final PeerInstall.Peers peers;
    private final boolean asGroup;

    SupervisordManager(PeerInstall.Peers peers, boolean asGroup) {
        this.peers = peers;
        this.asGroup = asGroup;
    }

    @Override
    public String label() {
        return asGroup ? "supervisord (stopasgroup)" : "supervisord";
    }

    @Override
    public String version() {
        return peers.supervisordVersion();
    }

    @Override
    public Session launch(Fleet fleet, Path dir) throws IOException, InterruptedException {
        Path conf = dir.resolve("supervisord.conf");
        Path sock = dir.resolve("supervisor.sock");
        Files.createDirectories(dir.resolve("childlogs"));
        StringBuilder c = new StringBuilder();
        c.append("[unix_http_server]\nfile=").append(sock).append("\n\n");
        c.append("[supervisord]\nnodaemon=true\nlogfile=").append(dir.resolve("supervisord.log")).append("\npidfile=")
                .append(dir.resolve("supervisord.pid")).append("\nchildlogdir=").append(dir.resolve("childlogs"))
                .append("\n\n");
        c.append("[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n");
        c.append("[supervisorctl]\nserverurl=unix://").append(sock).append("\n");
        for (int i = 0; i < fleet.size(); i++) {
            c.append("\n[program:").append(Fleet.id(i)).append("]\ncommand=").append(fleet.script()).append(' ')
                    .append(fleet.pidFile()).append("\nautostart=false\n");
            if (fleet.shortStop()) {
                c.append("stopwaitsecs=2\n");
            }
            if (asGroup) {
                c.append("stopasgroup=true\nkillasgroup=true\n");
            }
        }
        Files.writeString(conf, c);
        long since = Procs.nowTicks();
        Process daemon = new ProcessBuilder(peers.supervisord(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("supervisord.out").toFile()).start();
        SupervisordSession session = new SupervisordSession(fleet, conf, dir, daemon, since);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Cli.Run r = Cli.run(List.of(peers.supervisorctl(), "-c", conf.toString(), "pid"), Map.of(), dir,
                        Duration.ofSeconds(10));
                if (r.ok() && r.output().strip().equals(String.valueOf(daemon.pid()))) {
                    return session;
                }
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("supervisord did not start: " + r.describe() + "; "
                            + Files.readString(dir.resolve("supervisord.out")).strip());
                }
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private final class SupervisordSession implements Session {
        private final Fleet fleet;
        private final Path conf;
        private final Path dir;
        private final Process daemon;
        private final long since;

        SupervisordSession(Fleet fleet, Path conf, Path dir, Process daemon, long since) {
            this.fleet = fleet;
            this.conf = conf;
            this.dir = dir;
            this.daemon = daemon;
            this.since = since;
        }

        private List<String> ctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of(peers.supervisorctl(), "-c", conf.toString()));
            cmd.addAll(List.of(args));
            return cmd;
        }

        @Override
        public List<String> startAll() {
            return ctl("start", "all");
        }

        @Override
        public List<String> stopAll() {
            return ctl("stop", "all");
        }

        @Override
        public List<String> status() {
            return ctl("status");
        }

        @Override
        public Map<String, String> env() {
            return Map.of();
        }

        @Override
        public Tally tally(String statusOutput) {
            List<String> states = new ArrayList<>();
            for (String line : statusOutput.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].matches("a\\d+")) {
                    states.add(f[1]);
                }
            }
            return Tally.of(states, List.of("RUNNING"), List.of("FATAL"));
        }

        @Override
        public long daemonPid() {
            return daemon.pid();
        }

        @Override
        public Path scratch() {
            return dir;
        }

        @Override
        public void close() {
            Sweep.terminate(label(), fleet, daemon, since); // TERM: supervisord stops its programs and exits
        }
    }
}
