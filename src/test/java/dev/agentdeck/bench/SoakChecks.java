package dev.agentdeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentdeck.cli.ApiClient;
import dev.agentdeck.cli.CtlException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the stream must show beyond its own continuity: each action the benchmark took (its events, with the PIDs
 * the API's replies named), each crash's cycle (failed, backoff, restarted, spawned), the health flips, the
 * engine's restart counters, and the same events in history.db.
 */
final class SoakChecks {
    /** An event the benchmark expects: {@code pid} -1 when any PID will do. */
    record Expected(String type, String agent, long pid, String action) {
    }

    private final List<Expected> expected = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    private int failures;

    synchronized void expect(String type, String agent, long pid, String action) {
        expected.add(new Expected(type, agent, pid, action));
    }

    int failures() {
        return failures;
    }

    private void fail(String what) {
        failures++;
        lines.add("  FAIL " + what);
    }

    private void pass(String what) {
        lines.add("  ok   " + what);
    }

    /** Every expected event arrived: spawned and stopped by PID, restarted by count per agent. */
    void actions(List<SoakStream.Event> events, long upToSeq) {
        Map<String, Integer> seen = new HashMap<>();
        for (SoakStream.Event e : events) {
            if (e.seq() <= upToSeq) {
                seen.merge(key(e.type(), e.agent(), e.type().equals("restarted") ? -1 : e.pid()), 1, Integer::sum);
            }
        }
        Map<String, Integer> wanted = new HashMap<>();
        List<Expected> copy;
        synchronized (this) {
            copy = List.copyOf(expected);
        }
        for (Expected x : copy) {
            wanted.merge(key(x.type(), x.agent(), x.pid()), 1, Integer::sum);
        }
        List<String> missing = new ArrayList<>();
        wanted.forEach((k, n) -> {
            int got = seen.getOrDefault(k, 0);
            if (got < n) {
                missing.add(k + " (" + got + " of " + n + ")");
            }
        });
        String what = copy.size() + " events expected from the benchmark's API actions";
        if (missing.isEmpty()) {
            pass(what + ": all on the stream, spawned/stopped with the PIDs the replies named");
        } else {
            fail(what + ": " + missing.size() + " missing, e.g. " + missing.subList(0, Math.min(5, missing.size())));
        }
    }

    private static String key(String type, String agent, long pid) {
        return type + "|" + agent + "|" + pid;
    }

    /**
     * Each crasher's events follow spawned → failed → backoff → restarted → spawned; returns the crashes seen.
     * The soak may end inside a cycle, so only the last one may be incomplete.
     */
    int crashes(List<SoakStream.Event> events, List<String> crashers, long upToSeq) {
        Set<String> set = new HashSet<>(crashers);
        Map<String, List<String>> seqs = new HashMap<>();
        for (SoakStream.Event e : events) {
            if (e.seq() <= upToSeq && set.contains(e.agent())
                    && List.of("spawned", "failed", "backoff", "restarted", "stopped", "fatal").contains(e.type())) {
                seqs.computeIfAbsent(e.agent(), k -> new ArrayList<>()).add(e.type());
            }
        }
        int crashes = 0;
        List<String> bad = new ArrayList<>();
        for (String id : crashers) {
            List<String> s = seqs.getOrDefault(id, List.of());
            String[] cycle = {"spawned", "failed", "backoff", "restarted"};
            for (int i = 0; i < s.size(); i++) {
                if (!s.get(i).equals(cycle[i % 4])) {
                    bad.add(id + " event " + i + " is " + s.get(i) + ", expected " + cycle[i % 4]);
                    break;
                }
                if (s.get(i).equals("failed")) {
                    crashes++;
                }
            }
        }
        Map<String, Long> numbers = new HashMap<>();
        for (SoakStream.Event e : events) { // each crash's restart carries the agent's restart count: 1, 2, 3, ...
            if (e.seq() <= upToSeq && set.contains(e.agent()) && e.type().equals("restarted")) {
                long want = numbers.merge(e.agent(), 1L, Long::sum);
                if (e.restart() != want) {
                    bad.add(e.agent() + " restart #" + e.restart() + " where #" + want + " was due");
                    numbers.put(e.agent(), e.restart());
                }
            }
        }
        String what = crashers.size() + " crashers: " + crashes + " crashes, each followed by backoff, restarted (numbered 1, 2, 3, "
                + "... per agent), spawned";
        if (bad.isEmpty()) {
            pass(what);
        } else {
            fail(what + ": " + bad.size() + " broken cycles, e.g. " + bad.subList(0, Math.min(5, bad.size())));
        }
        return crashes;
    }

    /**
     * Flippers that do not restart see one transition per flip (health_check_passed, or health_check_failed then
     * unhealthy); allows one either way at each end of the soak.
     */
    void healthFlips(List<SoakStream.Event> events, List<String> flippers, int flips, String kind) {
        Map<String, Integer> transitions = new HashMap<>();
        for (SoakStream.Event e : events) {
            if (e.type().equals("health_check_passed") || e.type().equals("health_check_failed")) {
                transitions.merge(e.agent(), 1, Integer::sum);
            }
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String id : flippers) {
            int t = transitions.getOrDefault(id, 0);
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        String what = String.format(Locale.ROOT, "%d %s flippers without restartOnUnhealthy: %d flips, %d–%d health transitions each",
                flippers.size(), kind, flips, min, max);
        if (flippers.isEmpty() || (min >= flips - 1 && max <= flips + 2)) {
            pass(what);
        } else {
            fail(what + " (expected " + (flips - 1) + " to " + (flips + 2) + ")");
        }
    }

    /**
     * The engine's {@code restarts} counter of each agent restarted only by the engine equals its restarted events on
     * the stream. Crashes go on meanwhile, so the counter read must lie between the events received before the
     * request and those received up to two seconds after its reply (an event is published before its restart counts).
     */
    void restartCounters(ApiClient api, SoakStream stream, List<String> ids) throws CtlException, InterruptedException {
        long before = System.nanoTime();
        JsonNode processes = api.get("/api/spawn/processes").path("data");
        long after = System.nanoTime() + 2_000_000_000L;
        Thread.sleep(2000);
        Map<String, Integer> lo = new HashMap<>();
        Map<String, Integer> hi = new HashMap<>();
        for (SoakStream.Event e : stream.events()) {
            if (e.type().equals("restarted")) {
                if (e.receivedNanos() < before) {
                    lo.merge(e.agent(), 1, Integer::sum);
                }
                if (e.receivedNanos() <= after) {
                    hi.merge(e.agent(), 1, Integer::sum);
                }
            }
        }
        Set<String> set = new HashSet<>(ids);
        List<String> bad = new ArrayList<>();
        int total = 0;
        for (JsonNode p : processes) {
            String id = p.path("id").asText();
            if (set.contains(id)) {
                int counter = p.path("restarts").asInt();
                total += counter;
                int min = lo.getOrDefault(id, 0);
                int max = hi.getOrDefault(id, 0);
                if (counter < min || counter > max) {
                    bad.add(id + ": counter " + counter + ", stream " + min + (min == max ? "" : " to " + max));
                }
            }
        }
        String what = ids.size() + " agents restarted by the engine: restarts counters sum to " + total
                + ", each equal to its restarted events on the stream";
        if (bad.isEmpty()) {
            pass(what);
        } else {
            fail(what + ": " + bad.size() + " differ, e.g. " + bad.subList(0, Math.min(5, bad.size())));
        }
    }

    /** history.db holds the same events, by id, as the stream did up to {@code upToSeq}. */
    void history(ApiClient api, List<SoakStream.Event> events, List<String> agents, long upToSeq) throws CtlException {
        Map<String, Set<Long>> stream = new HashMap<>();
        for (SoakStream.Event e : events) {
            if (e.seq() <= upToSeq && e.agent() != null) {
                stream.computeIfAbsent(e.agent(), k -> new TreeSet<>()).add(e.seq());
            }
        }
        long onlyStream = 0;
        long onlyHistory = 0;
        long both = 0;
        List<String> examples = new ArrayList<>();
        for (String id : agents) {
            Set<Long> h = new TreeSet<>();
            for (JsonNode e : api.get("/api/spawn/history/events?limit=10000&agent="
                    + URLEncoder.encode(id, StandardCharsets.UTF_8)).path("data")) {
                long seq = e.path("id").asLong();
                if (seq <= upToSeq) {
                    h.add(seq);
                }
            }
            Set<Long> s = stream.getOrDefault(id, Set.of());
            for (long seq : s) {
                if (h.contains(seq)) {
                    both++;
                } else {
                    onlyStream++;
                    if (examples.size() < 5) {
                        examples.add(id + " #" + seq + " not in history");
                    }
                }
            }
            for (long seq : h) {
                if (!s.contains(seq)) {
                    onlyHistory++;
                    if (examples.size() < 5) {
                        examples.add(id + " #" + seq + " not on the stream");
                    }
                }
            }
        }
        String what = "history.db: " + both + " agent events in both";
        if (onlyStream == 0 && onlyHistory == 0) {
            pass(what + ", none only on the stream or only in history");
        } else {
            fail(what + ", " + onlyStream + " only on the stream, " + onlyHistory + " only in history, e.g. " + examples);
        }
    }

    /** The engine reported no error (a survivor of KILL, a PID file it could not write, an ambiguous discovery). */
    void noErrors(List<SoakStream.Event> events) {
        List<String> errors = events.stream().filter(e -> e.type().equals("error"))
                .map(e -> e.agent() + ": " + e.message()).toList();
        if (errors.isEmpty()) {
            pass("no error events");
        } else {
            fail(errors.size() + " error events, e.g. " + errors.subList(0, Math.min(5, errors.size())));
        }
    }

    void stream(SoakStream s) {
        String what = String.format(Locale.ROOT, "stream: ids 1..%d, %d missing, %d repeated, %d gap frames, %d reconnects, "
                + "%d breaks of spawned/end alternation", s.lastSeq(), s.missing(), s.repeated(), s.gapFrames(), s.reconnects(),
                s.lifeViolations());
        if (s.missing() == 0 && s.gapFrames() == 0 && s.lifeViolations() == 0) {
            pass(what);
        } else {
            fail(what + ": " + s.violations().subList(0, Math.min(10, s.violations().size())));
        }
    }
}
