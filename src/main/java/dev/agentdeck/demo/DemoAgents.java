package dev.agentdeck.demo;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Small agents built into AgentDeck for the demo workspace, so it runs wherever the app runs, with no Python
 * or Node: {@code agentdeck demo-agent web|chatty|busy|crasher|reporter [--port N] [--after SEC]}.
 */
public final class DemoAgents {
    private static final PrintStream OUT = System.out;
    private static final PrintStream ERR = System.err;

    private DemoAgents() {
    }

    /** Runs the named demo agent; returns the process exit code. */
    public static int run(List<String> args) {
        if (args.isEmpty()) {
            ERR.println("demo-agent: name one of web, chatty, busy, crasher, reporter");
            return 2;
        }
        int port = intOption(args, "--port", 8101);
        try {
            return switch (args.get(0)) {
                case "web" -> web(port);
                case "chatty" -> chatty();
                case "busy" -> busy(intOption(args, "--percent", 40));
                case "crasher" -> crasher(intOption(args, "--after", 8));
                case "reporter" -> reporter(port);
                default -> {
                    ERR.println("demo-agent: unknown demo agent \"" + args.get(0) + "\"");
                    yield 2;
                }
            };
        } catch (IOException e) {
            ERR.println("demo-agent " + args.get(0) + ": " + e.getMessage());
            return 1;
        }
    }

    /** An HTTP service on 127.0.0.1 with a health endpoint. */
    static int web(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/health", ex -> {
            byte[] body = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/", ex -> {
            log("INFO", ex.getRequestMethod() + " " + ex.getRequestURI());
            byte[] body = "Hello from the AgentDeck demo web agent\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        log("INFO", "listening on http://127.0.0.1:" + port + " (health: /health)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("INFO", "shutting down");
            server.stop(0);
        }));
        LockSupport.park();
        return 0;
    }

    /** A worker that logs at several levels, sometimes as JSON. */
    static int chatty() {
        Random random = new Random();
        String[] tasks = {"fetch feed", "summarize", "embed batch", "rank results", "write report"};
        for (long n = 1; ; n++) {
            String task = tasks[random.nextInt(tasks.length)];
            // the first lines show each level once, so a new user (and the demo's test) sees them all at once
            int r = n == 1 ? 0 : n == 2 ? 85 : n == 3 ? 95 : random.nextInt(100);
            if (r < 60) {
                log("INFO", "task " + n + ": " + task + " done in " + (20 + random.nextInt(400)) + " ms");
            } else if (r < 80) {
                log("DEBUG", "task " + n + ": cache hit ratio " + random.nextInt(100) + "%");
            } else if (r < 92) {
                log("WARN", "task " + n + ": " + task + " slow, retrying");
            } else if (r < 97) {
                ERR.println(LocalTime.now().withNano(0) + " ERROR task " + n + ": " + task + " failed: upstream timeout");
            } else {
                OUT.println("{\"level\":\"info\",\"msg\":\"heartbeat\",\"task\":" + n + "}");
            }
            OUT.flush();
            pause(300 + random.nextInt(500));
        }
    }

    /** A CPU-busy job: burns about {@code percent} of one core. */
    static int busy(int percent) {
        log("INFO", "crunching numbers at about " + percent + "% of a core");
        double x = 0;
        long round = 0;
        while (true) {
            long until = System.nanoTime() + percent * 1_000_000L;
            while (System.nanoTime() < until) {
                x += Math.sqrt(x + round);
            }
            pause(100 - percent);
            if (++round % 50 == 0) {
                log("INFO", "round " + round + " checksum " + (long) x % 100_000);
            }
        }
    }

    /** Runs for a while, then crashes with exit code 1 (to show restarts and back-off). */
    static int crasher(int afterSeconds) {
        log("INFO", "starting; will fail in " + afterSeconds + " s");
        for (int i = afterSeconds; i > 0; i--) {
            log("INFO", "working... " + i);
            pause(1000);
        }
        ERR.println(LocalTime.now().withNano(0) + " ERROR unhandled exception: connection reset by peer");
        return 1;
    }

    /** Depends on the web agent: polls its health endpoint and reports. */
    static int reporter(int port) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/health");
        while (true) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                log("INFO", "web is " + (r.statusCode() == 200 ? "up" : "answering " + r.statusCode()) + ": " + r.body());
            } catch (IOException e) {
                log("WARN", "web is not reachable: " + e.getMessage());
            } catch (InterruptedException e) {
                return 0;
            }
            pause(3000);
        }
    }

    private static void log(String level, String message) {
        OUT.println(LocalTime.now().withNano(0) + " " + level + " " + message);
        OUT.flush();
    }

    private static void pause(long ms) {
        LockSupport.parkNanos(ms * 1_000_000L);
    }

    private static int intOption(List<String> args, String name, int dflt) {
        int i = args.indexOf(name);
        if (i >= 0 && i + 1 < args.size()) {
            try {
                return Integer.parseInt(args.get(i + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " needs a number, got " + args.get(i + 1));
            }
        }
        return dflt;
    }
}
