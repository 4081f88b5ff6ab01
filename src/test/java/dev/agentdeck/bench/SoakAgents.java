package dev.agentdeck.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's agents and the switch their health checks read. Four kinds, all started at boot:
 * <ul>
 * <li>sleepers ({@code s-NNN}, {@code sleep 3600}): the benchmark stops, starts and restarts them through the API;</li>
 * <li>crashers ({@code c-NNN}): {@code sh} that exits 3 after 20 to 40 s, restarted by the on-failure policy;</li>
 * <li>HTTP flippers ({@code h-NNN}): an HTTP check on this benchmark's server, which answers 200 or 503 as
 * {@link #flip()} says; every other one has {@code restartOnUnhealthy};</li>
 * <li>command flippers ({@code k-NNN}): a command check ({@code test -e FLAG}) on a file {@link #flip()} creates
 * and removes.</li>
 * </ul>
 * A flip turns both switches; the two kinds are out of phase (the file is absent while HTTP answers 200).
 */
final class SoakAgents implements AutoCloseable {
    static final long PROBE_INTERVAL_MS = 2000;

    final List<String> sleepers = new ArrayList<>();
    final List<String> crashers = new ArrayList<>();
    final List<String> httpFlippers = new ArrayList<>();
    final List<String> commandFlippers = new ArrayList<>();
    final Path home;
    private final Path flag;
    private final HttpServer server;
    private final AtomicBoolean httpHealthy = new AtomicBoolean(true);
    private final AtomicLong probesAnswered = new AtomicLong();
    private int flips;

    private SoakAgents(Path home, HttpServer server) {
        this.home = home;
        this.flag = home.resolve("healthy.flag");
        this.server = server;
    }

    /** Writes agents.json and settings.json for {@code n} agents into a new temp home and starts the health server. */
    static SoakAgents create(int n) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        SoakAgents a = new SoakAgents(BenchSupport.tempHome("agentdeck-bench-soak-"), server);
        server.createContext("/health", ex -> {
            a.probesAnswered.incrementAndGet();
            ex.sendResponseHeaders(a.httpHealthy.get() ? 200 : 503, -1);
            ex.close();
        });
        server.start();
        a.write(n);
        return a;
    }

    private void write(int n) throws IOException {
        int crash = Math.max(1, n / 10);
        int http = Math.max(2, n / 10);
        int command = Math.max(1, n / 20);
        int port = server.getAddress().getPort();
        // Command lines of this run only: at open, discovery looks for each agent's command line among the
        // machine's processes, and another run's "sleep 3600" must neither be adopted nor make the match ambiguous.
        String nonce = Long.toString(ProcessHandle.current().pid()) + (System.nanoTime() % 1000);
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [\n");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                json.append(",\n");
            }
            if (i < crash) {
                String id = String.format("c-%03d", i);
                crashers.add(id);
                int after = 20 + (i % 5) * 5;
                json.append("{\"id\": \"").append(id).append("\", \"command\": \"sh\", \"args\": [\"-c\", \"sleep ").append(after)
                        .append("; echo crashed >&2; exit 3\", \"soak-").append(nonce).append("\"], \"autostart\": true, \"restart\": {\"policy\": \"on-failure\", ")
                        .append("\"delayMs\": 1000, \"maxDelayMs\": 5000, \"burst\": 5, \"windowSec\": 60, \"resetAfterSec\": 10}}");
            } else if (i < crash + http) {
                String id = String.format("h-%03d", i);
                httpFlippers.add(id);
                json.append("{\"id\": \"").append(id).append("\", \"command\": \"sleep\", \"args\": [\"" + sleep(nonce, i) + "\"], \"autostart\": true, ")
                        .append("\"healthCheck\": {\"type\": \"http\", \"endpoint\": \"http://127.0.0.1:").append(port)
                        .append("/health/").append(id).append("\", ").append(timing())
                        .append(", \"restartOnUnhealthy\": ").append(i % 2 == 0).append("}}");
            } else if (i < crash + http + command) {
                String id = String.format("k-%03d", i);
                commandFlippers.add(id);
                json.append("{\"id\": \"").append(id).append("\", \"command\": \"sleep\", \"args\": [\"" + sleep(nonce, i) + "\"], \"autostart\": true, ")
                        .append("\"healthCheck\": {\"type\": \"command\", \"command\": [\"test\", \"-e\", \"").append(flag)
                        .append("\"], ").append(timing()).append("}}");
            } else {
                String id = String.format("s-%03d", i);
                sleepers.add(id);
                json.append("{\"id\": \"").append(id).append("\", \"command\": \"sleep\", \"args\": [\"" + sleep(nonce, i) + "\"], \"autostart\": true}");
            }
        }
        Files.writeString(home.resolve("agents.json"), json.append("\n]}\n"));
        Files.writeString(home.resolve("settings.json"), "{\"stopAllOnExit\": true}\n");
    }

    /** About an hour, as a number no other run's sleep has: 3600.NONCE0NNN seconds. */
    private static String sleep(String nonce, int i) {
        return String.format("3600.%s0%03d", nonce, i);
    }

    private static String timing() {
        return "\"intervalMs\": " + PROBE_INTERVAL_MS + ", \"timeoutMs\": 1000, \"failureThreshold\": 2, \"successThreshold\": 1";
    }

    /** HTTP checks that restart their agent when it turns unhealthy. */
    boolean restartsOnUnhealthy(String id) {
        return httpFlippers.contains(id) && Integer.parseInt(id.substring(2)) % 2 == 0;
    }

    /** Turns both switches: HTTP healthy ↔ unhealthy, and the flag file absent ↔ present. */
    void flip() throws IOException {
        boolean nowHealthy = !httpHealthy.get();
        httpHealthy.set(nowHealthy);
        if (nowHealthy) {
            Files.deleteIfExists(flag);
        } else {
            Files.writeString(flag, "");
        }
        flips++;
    }

    int flips() {
        return flips;
    }

    long probesAnswered() {
        return probesAnswered.get();
    }

    List<String> all() {
        List<String> out = new ArrayList<>(crashers);
        out.addAll(httpFlippers);
        out.addAll(commandFlippers);
        out.addAll(sleepers);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
