package dev.agentdeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.app.CommandLine;
import dev.agentdeck.config.Json;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.Ctl;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.ServeProcess;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code agentdeck serve} as a real process, without JavaFX, driven end to end by {@code agentdeck ctl}. */
class ServeCtlTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path tmp;
    private TestHome home;
    private final List<Process> serves = new ArrayList<>();
    private final List<Long> agents = new ArrayList<>();

    @AfterEach
    void tearDown() {
        ServeProcess.stopAll(serves);
        Procs.killAll(agents);
    }

    private Ctl ctl(String... args) {
        return Ctl.run(home.dir(), args);
    }

    private Process serve(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--api-port", "0"));
        args.addAll(List.of(extra));
        Process p = ServeProcess.start(home.dir(), tmp.resolve("serve-" + serves.size() + ".out"),
                List.of("-Xlog:class+load=info:file=" + tmp.resolve("classes-" + serves.size() + ".txt")), args.toArray(String[]::new));
        serves.add(p);
        return p;
    }

    @Test
    void serveRunsWithoutJavaFxAndCtlControlsItEndToEnd() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        home.script("web", "echo 'INFO web ready'; echo 'WARN slow disk' >&2; exec sleep 300");
        home.agentsJson("""
                {"version": 1, "agents": [
                  {"id": "web", "command": "bin/web"},
                  {"id": "worker", "command": "sleep", "args": ["300"], "dependsOn": ["web"]}]}
                """);
        Process serve = serve();
        Await.until("serve wrote api.json", WAIT, () -> Files.exists(home.workspace().apiJson()));

        Ctl info = ctl("info");
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("(serve, PID " + serve.pid() + ")") && info.out().contains("containment: "), info.out());
        JsonNode infoJson = Json.MAPPER.readTree(ctl("--json", "info").out());
        assertTrue(List.of("CGROUP", "TRACKED").contains(infoJson.path("containment").path("mode").asText()), infoJson.toString());
        assertTrue(info.out().contains(infoJson.path("containment").path("reason").asText()), info.out());

        Ctl status = ctl("status");
        assertEquals(0, status.exit(), status.err());
        assertTrue(status.out().startsWith("ID "), status.out());
        assertTrue(status.out().contains("web") && status.out().contains("stopped"), status.out());

        Ctl start = ctl("start", "web");
        assertEquals(0, start.exit(), start.err());
        assertTrue(start.out().startsWith("web: running (PID "), start.out());
        JsonNode json = Json.MAPPER.readTree(ctl("status", "--json", "web").out());
        long pid = json.get(0).get("pid").asLong();
        agents.add(pid);
        assertTrue(Procs.running(pid));

        Await.until("web logged", WAIT, () -> ctl("logs", "web").out().contains("out| INFO web ready"));
        Ctl warn = ctl("logs", "web", "--level", "warn", "-n", "10");
        assertEquals("err| WARN slow disk\n", warn.out());
        Await.until("the start is in the history", WAIT, () -> ctl("events", "-n", "50").out().contains("web  spawned"));

        assertEquals(0, ctl("pause", "web").exit());
        Await.until("/proc shows the paused agent stopped (T)", WAIT, () -> Procs.state(pid) == 'T'); // SIGSTOP lands asynchronously
        assertEquals(0, ctl("resume", "web").exit());
        Ctl sig = ctl("signal", "web", "WINCH");
        assertEquals(0, sig.exit(), sig.err());
        assertTrue(sig.out().contains("SIGWINCH sent"), sig.out());

        Ctl restarted = ctl("restart", "web");
        assertEquals(0, restarted.exit(), restarted.err());
        long pid2 = Json.MAPPER.readTree(ctl("status", "--json", "web").out()).get(0).get("pid").asLong();
        agents.add(pid2);
        assertTrue(pid2 != pid && !Procs.running(pid), "a new run replaced the old one");
        assertEquals(0, ctl("kill", "web").exit());
        assertFalse(Procs.running(pid2));
        assertEquals(0, ctl("start", "web").exit());

        Ctl unknown = ctl("stop", "nope");
        assertEquals(4, unknown.exit());
        assertTrue(unknown.err().contains("no agent \"nope\""), unknown.err());
        Ctl usage = ctl("frobnicate");
        assertEquals(2, usage.exit());
        long running = Json.MAPPER.readTree(ctl("status", "--json", "web").out()).get(0).get("pid").asLong();
        agents.add(running);
        assertEquals(2, ctl("stop", "--bogus", "web").exit(), "an unknown option is bad usage");
        Ctl mixed = ctl("stop", "web", "nope");
        assertEquals(4, mixed.exit());
        assertTrue(mixed.err().contains("nothing was done"), mixed.err());
        assertTrue(Procs.running(running), "neither stopped web");
        assertEquals(2, ctl("logs", "web", "-n", "abc").exit());
        assertEquals(2, ctl("logs", "web", "--level", "loud").exit());
        assertEquals(2, ctl("signal", "web", "BOGUS").exit());
        assertEquals(2, ctl("status", "-n", "3").exit());

        Path export = tmp.resolve("web.json");
        assertEquals(0, ctl("export", "web", "-o", export.toString()).exit());
        assertEquals("web", Json.MAPPER.readTree(export.toFile()).get("agentId").asText());
        Ctl imported = ctl("import", export.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(imported.out().contains("already configured the same way"), imported.out());

        Ctl all = ctl("start-all");
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().contains("worker: running"), all.out());
        Json.MAPPER.readTree(ctl("status", "--json").out()).forEach(p -> agents.add(p.get("pid").asLong()));
        Ctl stopAll = ctl("stop-all");
        assertEquals(0, stopAll.exit(), stopAll.err());
        agents.forEach(p -> assertFalse(Procs.running(p), "stopped: " + p));

        // one engine per home: a second serve says who holds it
        Process second = serve();
        assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, second.exitValue());
        String said = Files.readString(tmp.resolve("serve-1.out"));
        assertTrue(said.contains("already supervised by agentdeck serve (PID " + serve.pid() + ")"), said);

        List<String> javafx = Files.readAllLines(tmp.resolve("classes-0.txt")).stream().filter(l -> l.contains("javafx.")).toList();
        assertEquals(List.of(), javafx, "serve loads no JavaFX class");

        serve.destroy(); // SIGTERM
        assertTrue(serve.waitFor(20, TimeUnit.SECONDS));
        assertFalse(Files.exists(home.workspace().apiJson()), "api.json removed on exit");
        Ctl gone = ctl("status");
        assertEquals(3, gone.exit());
        assertTrue(gone.err().contains("no AgentDeck is running on"), gone.err());
    }

    @Test
    void followingEventsAndLogsPrintsNewOnesAsTheyHappen() throws Exception {
        home = new TestHome(tmp.resolve("home"));
        home.script("tick", "while :; do echo \"tick $(date +%s%N)\"; sleep 0.2; done");
        home.agentsJson("""
                {"version": 1, "agents": [{"id": "tick", "command": "bin/tick"}]}
                """);
        serve();
        Await.until("serve wrote api.json", WAIT, () -> Files.exists(home.workspace().apiJson()));
        Captured events = new Captured();
        CompletableFuture<Integer> ev = CompletableFuture.supplyAsync(() -> CtlCommand.run(CommandLine.parse("--home",
                home.dir().toString(), "ctl", "events", "-f", "--agent", "tick"), events.stream, System.err));
        Ctl start = ctl("start", "tick");
        assertEquals(0, start.exit(), start.err());
        agents.add(Json.MAPPER.readTree(ctl("status", "--json").out()).get(0).get("pid").asLong());
        Await.until("the start was followed", WAIT, () -> events.text().contains("tick  spawned"));

        Captured logs = new Captured();
        CompletableFuture<Integer> lg = CompletableFuture.supplyAsync(() -> CtlCommand.run(CommandLine.parse("--home",
                home.dir().toString(), "ctl", "logs", "tick", "-f", "-n", "1"), logs.stream, System.err));
        Await.until("several new lines were followed", WAIT, () -> logs.text().lines().filter(l -> l.startsWith("out| tick")).count() >= 4);
        List<String> ticks = logs.text().lines().filter(l -> l.startsWith("out| tick")).toList();
        assertEquals(ticks.size(), ticks.stream().distinct().count(), "no line twice");

        events.close();
        logs.close();
        assertEquals(0, ctl("stop", "tick").exit());
        assertEquals(0, ev.get(20, TimeUnit.SECONDS), "events -f ends once its output is closed");
        assertEquals(0, lg.get(20, TimeUnit.SECONDS), "logs -f ends once its output is closed");
    }

    /** Output that a test can read and then close, as a terminal going away. */
    private static final class Captured {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile boolean closed;
        final PrintStream stream = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    throw new IOException("closed");
                }
                synchronized (bytes) {
                    bytes.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8);

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }

        void close() {
            closed = true;
        }
    }
}
