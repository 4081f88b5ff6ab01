package dev.agentdeck.reliability;

import dev.agentdeck.core.AgentEvent;
import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.Containment;
import dev.agentdeck.core.EventType;
import dev.agentdeck.os.CgroupV2;
import dev.agentdeck.process.LocalEngine;
import dev.agentdeck.testutil.Await;
import dev.agentdeck.testutil.EngineFixture;
import dev.agentdeck.testutil.Procs;
import dev.agentdeck.testutil.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fault: agents whose programs daemonize. A run is a unit that owns every process it spawned: when its main
 * process exits, what it left behind gets the agent's staged stop before the exit counts, so daemons never pile
 * up under a restart policy, and a stop ends daemons that called {@code setsid} and cleared their environment.
 * Each case runs with the containment this machine gives ("auto": a cgroup v2 per run, as root here) and with
 * {@code "containment": "tracked"} (subreaper and descendant tracking, as in a container).
 */
@Tag("reliability")
class DaemonizingAgentsFaultTest {
    private static final Duration WAIT = EngineFixture.WAIT;
    @TempDir
    Path tmp;
    private EngineFixture fx;
    private Path pids;

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.started.addAll(all("daemons"));
            fx.close();
        }
    }

    /** Writes an agent script whose text names the pids/ folder as PIDS. */
    private void script(String name, String body) throws IOException {
        pids = Files.createDirectories(tmp.resolve("pids"));
        new TestHome(tmp).script(name, body.replace("PIDS", pids.toString()));
    }

    private LocalEngine open(String containment, String agentsJson) throws IOException {
        fx = new EngineFixture(tmp);
        pids = Files.createDirectories(tmp.resolve("pids"));
        TestHome.write(fx.home.file("settings.json"), """
                {"containment": "%s", "backgroundMetricsMs": 200, "startGraceMs": 50}
                """.formatted(containment));
        return fx.open(agentsJson);
    }

    /** Every PID noted in files of pids/ whose name ends with {@code suffix}. */
    private List<Long> all(String suffix) {
        if (pids == null) {
            return List.of();
        }
        try (var files = Files.list(pids)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).flatMap(f -> lines(f).stream()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private List<Long> daemonsOf(String agent) {
        return lines(pids.resolve(agent + ".daemons"));
    }

    private static List<Long> lines(Path f) {
        try {
            return Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long alive(List<Long> pids) {
        return pids.stream().filter(Procs::running).count();
    }

    /**
     * A double-forked, TERM-ignoring daemon loop that notes its PID; {@code wrap} is what starts it ("", "setsid env
     * -i"). The agent goes on once its daemon has noted its PID (and set its trap).
     */
    private static String daemon(String agent, String wrap, String redirect) {
        return "( " + wrap + " /bin/sh -c 'trap \"\" TERM; echo $$ >> PIDS/" + agent + ".daemons; : > PIDS/" + agent
                + ".up.'$$'; while :; do /bin/sleep 1; done' " + redirect + " & )\n"
                + "while [ ! -e PIDS/" + agent + ".up.$$ ]; do /bin/sleep 0.01; done";
    }

    private Containment.Mode expectedMode(String containment) {
        return containment.equals("tracked") ? Containment.Mode.TRACKED : fx.engine().containment().mode();
    }

    /**
     * Four agents double-fork a TERM-ignoring daemon and exit 0 at once: plain, and through {@code setsid env -i};
     * with {@code restart: never} and {@code always}. At no moment does an agent have more than one daemon
     * alive; each exit is handled only once its daemon is gone, and the LEFTOVER_KILLED event names it by PID and
     * name; after stop-all nothing of any of them runs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "tracked"})
    void daemonsLeftByExitingAgentsAreStoppedBeforeTheExitCountsAndNeverPileUp(String containment) throws Exception {
        Map<String, String> agents = new HashMap<>();
        agents.put("plain-never", daemon("plain-never", "", ""));
        agents.put("plain-always", daemon("plain-always", "", ""));
        agents.put("setsid-never", daemon("setsid-never", "setsid env -i", ""));
        agents.put("setsid-always", daemon("setsid-always", "setsid env -i", ""));
        StringBuilder json = new StringBuilder("{\"version\": 1, \"agents\": [");
        for (var e : agents.entrySet()) {
            script(e.getKey(), e.getValue() + "\nexit 0");
            String policy = e.getKey().endsWith("always") ? "always" : "never";
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append("""
                    {"id": "%s", "command": "bin/%s", "stop": {"timeoutSec": 1},
                     "restart": {"policy": "%s", "delayMs": 100, "maxDelayMs": 200, "burst": 100}}""".formatted(e.getKey(), e.getKey(), policy));
        }
        LocalEngine engine = open(containment, json.append("]}").toString());
        assertEquals(expectedMode(containment), engine.containment().mode(), engine.containment().describe());
        agents.keySet().forEach(id -> engine.start(id));

        Map<String, Long> most = new HashMap<>();
        Await.during(Duration.ofSeconds(4), Duration.ofMillis(20), () -> agents.keySet()
                .forEach(id -> most.merge(id, alive(daemonsOf(id)), Math::max)));
        for (String id : agents.keySet()) {
            assertEquals(1L, most.get(id), id + ": at most one daemon alive at any time, and one was seen");
        }
        assertTrue(daemonsOf("plain-always").size() >= 2 && daemonsOf("setsid-always").size() >= 2,
                "the restarting agents ran more than once: " + daemonsOf("plain-always") + " " + daemonsOf("setsid-always"));
        for (String id : List.of("plain-never", "setsid-never")) {
            Await.until(id + " exited once its daemon was gone", WAIT,
                    () -> engine.status(id).orElseThrow().state() == AgentState.EXITED);
            assertEquals(0, alive(daemonsOf(id)), id);
        }
        long t0 = System.nanoTime();
        assertTrue(fx.await(engine.stopAll()).allOk());
        Await.until("nothing of any agent runs", WAIT, () -> alive(all("daemons")) == 0);
        System.out.printf("%s: most daemons alive at once %s; daemons started in 4 s: plain-always %d, setsid-always %d; "
                        + "stop-all and nothing left in %d ms%n", engine.containment().mode(), most,
                daemonsOf("plain-always").size(), daemonsOf("setsid-always").size(), (System.nanoTime() - t0) / 1_000_000);
        engine.flushEvents();
        for (String id : List.of("plain-never", "setsid-never")) {
            long d = daemonsOf(id).get(0);
            List<AgentEvent> left = fx.log.events(id, EventType.LEFTOVER_KILLED);
            assertEquals(1, left.size(), id + ": " + fx.log.describe());
            assertTrue(left.get(0).message().contains("PID " + d + " (sh)"), left.get(0).message());
            assertTrue(left.get(0).message().contains("KILL after the stop timeout"), left.get(0).message());
            List<AgentEvent> events = fx.log.events().stream().filter(e -> id.equals(e.agentId())).toList();
            assertTrue(events.indexOf(left.get(0)) < events.indexOf(fx.log.events(id, EventType.EXITED).get(0)),
                    "the daemon was stopped before the exit was handled: " + events);
        }
    }

    /**
     * A daemon that calls {@code setsid}, clears its environment and closes its output, while its agent still runs:
     * its agent's stop, and stop-all, end it too: the cgroup holds it, or tracking recorded it when a scan first
     * showed it under the agent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "tracked"})
    void aStopEndsADaemonThatShedItsSessionEnvironmentAndOutputWhileItsAgentRan(String containment) throws Exception {
        for (String id : List.of("a", "b")) {
            script(id, "setsid env -i /bin/sh -c 'trap \"\" TERM; echo $$ >> PIDS/" + id + ".daemons; "
                    + "while :; do /bin/sleep 1; done' >/dev/null 2>&1 </dev/null &\nexec /bin/sleep 300");
        }
        LocalEngine engine = open(containment, """
                {"version": 1, "agents": [
                  {"id": "a", "command": "bin/a", "stop": {"timeoutSec": 1}},
                  {"id": "b", "command": "bin/b", "stop": {"timeoutSec": 1}}]}
                """);
        for (String id : List.of("a", "b")) {
            fx.start(id);
        }
        for (String id : List.of("a", "b")) {
            Await.until(id + "'s daemon runs", WAIT, () -> alive(daemonsOf(id)) == 1);
            // tracking records what a scan shows: the sampler's children count comes from the same scan
            Await.until(id + "'s tree was scanned with its daemon", WAIT, () -> {
                var u = engine.status(id).orElseThrow().usage();
                return u != null && u.children() >= 1;
            });
        }
        assertTrue(fx.await(engine.stop("a")).state() == AgentState.STOPPED);
        Await.until("a's daemon is gone", WAIT, () -> alive(daemonsOf("a")) == 0);
        assertEquals(1, alive(daemonsOf("b")), "b's daemon is untouched by a's stop");
        assertTrue(fx.await(engine.stopAll()).allOk());
        Await.until("b's daemon is gone", WAIT, () -> alive(daemonsOf("b")) == 0);
        engine.flushEvents();
        String stopped = fx.log.events("a", EventType.STOPPED).get(0).message();
        assertTrue(stopped.contains("PID " + daemonsOf("a").get(0) + " (sh)"), "named as a process that had left the tree: " + stopped);
    }

    /**
     * The hardest case: a double fork, {@code setsid}, a cleared environment and closed output, all in the instant
     * before the agent exits. A cgroup still holds the daemon, so it is stopped. Tracking cannot tell it from a
     * stranger, so it is left alone, as every process that cannot be attributed is; the README says so.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "tracked"})
    void aDaemonThatShedsEverythingAtOnceIsStoppedInACgroupAndNeverGuessedAtWithout(String containment) throws Exception {
        script("ghost", daemon("ghost", "setsid env -i", ">/dev/null 2>&1 </dev/null") + "\nexit 0");
        LocalEngine engine = open(containment, """
                {"version": 1, "agents": [{"id": "ghost", "command": "bin/ghost", "stop": {"timeoutSec": 1}}]}
                """);
        engine.start("ghost");
        long d = Await.value("the daemon noted its PID", WAIT, () -> daemonsOf("ghost"), l -> !l.isEmpty()).get(0);
        Await.until("the agent's exit was handled", WAIT, () -> engine.status("ghost").orElseThrow().state() == AgentState.EXITED);
        if (engine.containment().mode() == Containment.Mode.CGROUP) {
            assertFalse(Procs.running(d), "the cgroup held the daemon: stopped before the exit counted");
        } else {
            assertTrue(Procs.running(d), "tracking could not attribute it: left alone, never guessed at");
            assertTrue(fx.await(engine.stopAll()).allOk());
            assertTrue(Procs.running(d), "stop-all does not guess either");
        }
    }

    /**
     * The agent's main process dies while no engine runs (kill -9 here), leaving its TERM-ignoring daemon (in a
     * session of its own; with a cgroup it counts in the agent's usage meanwhile): the
     * next engine finishes that run, stopping the daemon (found in the run's cgroup, or by the identity it carries
     * and its start after the run's), and says so; an unrelated look-alike is untouched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "tracked"})
    void theNextEngineStopsWhatARunThatEndedUnwatchedLeftBehind(String containment) throws Exception {
        script("keeper", daemon("keeper", "setsid", "") + "\nexec /bin/sleep 300");
        LocalEngine engine = open(containment, """
                {"version": 1, "agents": [{"id": "keeper", "command": "bin/keeper", "stop": {"timeoutSec": 1}}]}
                """);
        long main = fx.start("keeper").pid();
        long d = Await.value("the daemon noted its PID", WAIT, () -> daemonsOf("keeper"), l -> !l.isEmpty()).get(0);
        if (engine.containment().mode() == Containment.Mode.CGROUP) {
            Await.until("the daemon, out of the agent's tree, session and group, counts in its usage", WAIT, () -> {
                var u = engine.status("keeper").orElseThrow().usage();
                return u != null && u.children() >= 2; // the daemon's sh and its sleep
            });
        }
        Process stranger = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; while :; do /bin/sleep 1; done").start();
        fx.note(stranger.pid());
        engine.detach(); // the agent outlives its engine
        ProcessHandle.of(main).orElseThrow().destroyForcibly();
        Await.until("the agent's main process is gone", WAIT, () -> !Procs.running(main));
        assertTrue(Procs.running(d), "its daemon lives on, watched by no engine");

        LocalEngine next = fx.open(null);
        Await.until("the next engine stopped the daemon", WAIT, () -> !Procs.running(d));
        // published while the engine opened, before anyone could subscribe: from the events it keeps
        List<AgentEvent> left = Await.value("the leftover event", WAIT, () -> next.recentEvents(0).stream()
                .filter(e -> "keeper".equals(e.agentId()) && e.type() == EventType.LEFTOVER_KILLED).toList(), l -> !l.isEmpty());
        assertEquals(1, left.size(), left.toString());
        assertTrue(left.get(0).message().contains("PID " + d + " (sh)") && left.get(0).message().contains("while no engine"),
                left.get(0).message());
        assertTrue(stranger.isAlive(), "a look-alike that is no process of the agent is untouched");
        stranger.destroyForcibly().waitFor();
    }

    /** This machine (root, a writable cgroup v2 tree) gets cgroups, and says so; tracked when asked. */
    @Test
    void theEngineSaysWhichContainmentItGotAndWhy() throws Exception {
        LocalEngine engine = open("auto", "{\"version\": 1, \"agents\": []}");
        Containment c = engine.containment();
        assumeTrue(CgroupV2.find().isPresent() && c.mode() == Containment.Mode.CGROUP,
                "this machine gives no writable cgroup v2 tree: " + c.describe());
        assertTrue(Files.isRegularFile(Path.of(c.where()).resolve("cgroup.procs")), c.where());
        fx.closeEngine();
        LocalEngine tracked = open("tracked", "{\"version\": 1, \"agents\": []}");
        assertEquals(Containment.Mode.TRACKED, tracked.containment().mode());
        assertTrue(tracked.containment().reason().contains("settings.json"), tracked.containment().reason());
    }
}
