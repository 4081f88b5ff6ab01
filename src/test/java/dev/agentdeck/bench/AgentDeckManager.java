package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * AgentDeck's headless engine, {@code agentdeck serve}, on a temp home whose agents.json defines the fleet
 * ({@code autostart: false}, default restart policy and default metrics sampling; a 2 s stop timeout for
 * stubborn agents) and whose settings stop every agent when serve exits. Driven with {@code agentdeck ctl}.
 */
final class AgentDeckManager implements Manager {
    private final AgentDeckCommand command;
    private final String version;

    AgentDeckManager(AgentDeckCommand command, String version) {
        this.command = command;
        this.version = version;
    }

    @Override
    public String label() {
        return "AgentDeck";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public Session launch(Fleet fleet, Path dir) throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("home"));
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < fleet.size(); i++) {
            json.append(i == 0 ? "" : ",\n").append("{\"id\": \"").append(Fleet.id(i)).append("\", \"command\": \"")
                    .append(fleet.script()).append("\", \"args\": [\"").append(fleet.pidFile())
                    .append("\"], \"autostart\": false").append(fleet.shortStop() ? ", \"stop\": {\"timeoutSec\": 2}" : "")
                    .append('}');
        }
        Files.writeString(home.resolve("agents.json"), json.append("]}\n"));
        Files.writeString(home.resolve("settings.json"), "{\"stopAllOnExit\": true}\n");
        long since = Procs.nowTicks();
        Path log = dir.resolve("serve.out");
        Process serve = new ProcessBuilder(command.serve(home)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        DeckSession session = new DeckSession(fleet, home, dir, serve, since);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).startsWith("AgentDeck engine serving")) {
                if (!serve.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("serve did not start: " + Files.readString(log).strip());
                }
                Thread.sleep(20);
            }
            return session;
        } catch (IOException | InterruptedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private final class DeckSession implements Session {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Fleet fleet;
        private final Path home;
        private final Path dir;
        private final Process serve;
        private final long since;

        DeckSession(Fleet fleet, Path home, Path dir, Process serve, long since) {
            this.fleet = fleet;
            this.home = home;
            this.dir = dir;
            this.serve = serve;
            this.since = since;
        }

        @Override
        public List<String> startAll() {
            return command.ctl(home, "start-all");
        }

        @Override
        public List<String> stopAll() {
            return command.ctl(home, "stop-all");
        }

        @Override
        public List<String> status() {
            return command.ctl(home, "--json", "status");
        }

        @Override
        public Map<String, String> env() {
            return Map.of();
        }

        @Override
        public Tally tally(String statusOutput) {
            List<String> states = new ArrayList<>();
            try {
                for (JsonNode p : JSON.readTree(statusOutput)) {
                    states.add(p.path("status").asText());
                }
            } catch (IOException e) {
                return new Tally(0, 0, "unreadable status: " + statusOutput.strip());
            }
            return Tally.of(states, List.of("running"), List.of("fatal"));
        }

        @Override
        public long daemonPid() {
            return serve.pid();
        }

        @Override
        public Path scratch() {
            return dir;
        }

        @Override
        public void close() {
            Sweep.terminate(label(), fleet, serve, since); // TERM: serve stops every agent (stopAllOnExit) and exits
        }
    }

    /** {@code agentdeck version}'s answer. */
    static String versionOf(AgentDeckCommand command, Path scratch) throws IOException, InterruptedException {
        Cli.Run r = Cli.run(command.version(), Map.of(), scratch, Duration.ofSeconds(60));
        return r.ok() ? r.output().strip().replaceFirst("^AgentDeck ", "") : "unknown (" + r.describe() + ")";
    }
}
