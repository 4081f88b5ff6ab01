package dev.agentdeck.bench;

import dev.agentdeck.api.ApiOptions;
import dev.agentdeck.api.ApiServer;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.config.Workspace;
import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.process.LocalEngine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API's figures: (1) latency of {@code GET /api/spawn/processes} with 200 running agents over one
 * keep-alive loopback connection, token checked (p50, p99, max of 5,000 after 1,000 warm-up requests); (2) SSE
 * fan-out: 20 clients follow {@code /api/spawn/events} while start-all starts 100 agents; every client must
 * receive every event of that start-all, in order, with none missing. Run with
 * {@code mvn -Pbench -DskipTests verify -Dbench.class=dev.agentdeck.bench.ApiBenchmark -Dbench.args=}.
 */
public final class ApiBenchmark {
    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int agents = BenchSupport.intArg(args, "--agents", 200);
        int requests = BenchSupport.intArg(args, "--requests", 5_000);
        int clients = BenchSupport.intArg(args, "--clients", 20);
        int fanAgents = BenchSupport.intArg(args, "--fan-agents", 100);
        System.out.println("AgentDeck API benchmark");
        System.out.println("machine: " + BenchSupport.machine());
        Path home = BenchSupport.tempHome("agentdeck-bench-api-");
        try {
            latency(home.resolve("latency"), agents, requests);
            fanOut(home.resolve("fanout"), fanAgents, clients);
        } finally {
            BenchSupport.deleteTree(home);
        }
    }

    private static void writeAgents(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\": \"agent-").append(i).append("\", \"command\": \"sleep\", \"args\": [\"")
                    .append(3600 + i).append("\"], \"tags\": [\"bench\"], \"env\": {\"API_KEY\": \"k\"}}");
        }
        Files.writeString(dir.resolve("agents.json"), sb.append("]}").toString());
    }

    private static void latency(Path dir, int agents, int requests) throws Exception {
        writeAgents(dir, agents);
        try (LocalEngine engine = LocalEngine.open(Workspace.home(dir));
             ApiServer api = ApiServer.start(engine, Workspace.home(dir), new ApiOptions(true, "127.0.0.1", 0, true, true),
                     "serve", null)) {
            var started = engine.startAll().get(120, TimeUnit.SECONDS);
            if (!started.allOk()) {
                throw new IllegalStateException("start-all failed: " + started.failures());
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest req = HttpRequest.newBuilder(URI.create(api.url() + "/api/spawn/processes"))
                    .header("Authorization", "Bearer " + api.token()).GET().build();
            int bytes = 0;
            for (int i = 0; i < 1_000; i++) {
                bytes = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            long[] ns = new long[requests];
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                ns[i] = System.nanoTime() - t0;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode());
                }
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "GET /api/spawn/processes, %d running agents, %d KB per reply, %d requests:%n",
                    agents, bytes / 1024, requests);
            System.out.printf(Locale.ROOT, "  p50 %.2f ms   p99 %.2f ms   max %.2f ms   (aim: p50 < 2 ms, p99 < 10 ms)%n",
                    ns[requests / 2] / 1e6, ns[requests * 99 / 100] / 1e6, ns[requests - 1] / 1e6);
            long[] raw = rawLatency(api, requests);
            System.out.printf(Locale.ROOT, "  same, raw HTTP/1.1 keep-alive socket client: p50 %.2f ms   p99 %.2f ms   max %.2f ms%n",
                    raw[requests / 2] / 1e6, raw[requests * 99 / 100] / 1e6, raw[requests - 1] / 1e6);
            engine.stopAll().get(120, TimeUnit.SECONDS);
        }
    }

    /** The same requests over a plain socket: what the server and loopback cost without java.net.http's own. */
    private static long[] rawLatency(ApiServer api, int requests) throws Exception {
        byte[] req = ("GET " + System.getProperty("bench.path", "/api/spawn/processes") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + api.token()
                + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", api.port())) {
            s.setTcpNoDelay(true);
            var out = s.getOutputStream();
            var in = new java.io.BufferedInputStream(s.getInputStream(), 1 << 16);
            long[] ns = new long[requests];
            for (int i = -1_000; i < requests; i++) {
                long t0 = System.nanoTime();
                out.write(req);
                out.flush();
                int length = -1;
                StringBuilder line = new StringBuilder();
                while (true) {
                    int c = in.read();
                    if (c == '\n') {
                        String l = line.toString().trim();
                        if (l.isEmpty()) {
                            break;
                        }
                        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(l.substring(15).trim());
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
                in.readNBytes(length);
                if (i >= 0) {
                    ns[i] = System.nanoTime() - t0;
                }
            }
            Arrays.sort(ns);
            return ns;
        }
    }

    private static void fanOut(Path dir, int agents, int clients) throws Exception {
        writeAgents(dir, agents);
        try (LocalEngine engine = LocalEngine.open(Workspace.home(dir));
             ApiServer api = ApiServer.start(engine, Workspace.home(dir), new ApiOptions(true, "127.0.0.1", 0, true, true),
                     "serve", null)) {
            List<List<Long>> received = new ArrayList<>();
            AtomicInteger live = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<String>> streams = new ArrayList<>();
            var readers = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, clients), r -> {
                Thread t = new Thread(r, "sse-reader");
                t.setDaemon(true);
                return t;
            });
            for (int c = 0; c < clients; c++) {
                List<Long> mine = java.util.Collections.synchronizedList(new ArrayList<>());
                received.add(mine);
                ApiClient client = new ApiClient(api.url(), api.token());
                streams.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.stream("/api/spawn/events", null, e -> {
                            if (e.name().equals("live")) {
                                live.incrementAndGet();
                            } else if (e.name().equals("message")) {
                                mine.add(Long.parseLong(e.id()));
                            }
                            return !stop.get();
                        });
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }, readers));
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (live.get() < clients && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            List<AgentEvent> before = engine.recentEvents(0);
            long after = before.isEmpty() ? 0 : before.get(before.size() - 1).seq();
            long t0 = System.nanoTime();
            var result = engine.startAll().get(120, TimeUnit.SECONDS);
            double startAllMs = (System.nanoTime() - t0) / 1e6;
            List<Long> expected = engine.recentEvents(after).stream().map(AgentEvent::seq).toList();
            ConcurrentHashMap<Integer, Boolean> complete = new ConcurrentHashMap<>();
            while (complete.size() < clients && System.currentTimeMillis() < deadline + 60_000) {
                for (int c = 0; c < clients; c++) {
                    List<Long> got;
                    synchronized (received.get(c)) {
                        got = List.copyOf(received.get(c));
                    }
                    if (got.size() >= expected.size()) {
                        complete.put(c, got.equals(expected));
                    }
                }
                Thread.onSpinWait();
            }
            double deliveredMs = (System.nanoTime() - t0) / 1e6;
            long exact = complete.values().stream().filter(b -> b).count();
            System.out.printf(Locale.ROOT, "SSE fan-out: %d clients, start-all of %d agents (%s): %d events each;%n",
                    clients, agents, result.allOk() ? "all started" : result.failures().size() + " failed", expected.size());
            System.out.printf(Locale.ROOT, "  %d of %d clients received every event in order, none lost or repeated; "
                    + "start-all %.0f ms, last client complete after %.0f ms%n", exact, clients, startAllMs, deliveredMs);
            stop.set(true);
            engine.stopAll().get(120, TimeUnit.SECONDS);
            readers.shutdownNow();
        }
    }
}
