package dev.agentdeck.ui;

import dev.agentdeck.core.AgentState;
import dev.agentdeck.core.AgentStatus;
import dev.agentdeck.process.ProcessService;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.util.Duration;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * {@code --smoke-test}: with the window shown, clicks one agent's badge (the demo's {@code chatty} when there is
 * one), waits until it runs with a live process and a running badge, clicks again, and waits until the badge
 * shows it stopped and every process of its tree is gone. Each step has a deadline; the result is the exit code.
 */
final class SmokeTest {
    static final String PREFERRED = "chatty";
    private static final long STEP_MS = 30_000;

    private final Scene scene;
    private final ProcessService service;
    private final PrintStream out;
    private final CompletableFuture<Integer> result = new CompletableFuture<>();
    private final long began = System.currentTimeMillis();
    private Timeline poll;
    private String clicked;
    private final List<ProcessHandle> tree = new ArrayList<>();

    SmokeTest(Scene scene, ProcessService service, PrintStream out) {
        this.scene = scene;
        this.service = service;
        this.out = out;
    }

    /** Runs the steps on the FX thread (polling, never blocking it); completes with 0 when all passed, else 1. */
    CompletableFuture<Integer> run() {
        await("a badge in the window", () -> badge().isPresent(), this::start);
        return result;
    }

    private void start() {
        Button badge = badge().orElseThrow();
        String id = badge.getId().substring("badge-".length());
        say("window shows " + scene.getRoot().lookupAll(".badge").size() + " agents; clicking " + id);
        clicked = id;
        badge.fire();
        await(id + " running with a live process and a running badge", () -> {
            Optional<AgentStatus> s = service.status(id);
            return s.isPresent() && s.get().state() == AgentState.RUNNING && s.get().pid() != null
                    && ProcessHandle.of(s.get().pid()).map(ProcessHandle::isAlive).orElse(false)
                    && badge.getStyleClass().contains("badge-running");
        }, () -> stop(badge, id));
    }

    private void stop(Button badge, String id) {
        long pid = service.status(id).orElseThrow().pid();
        ProcessHandle.of(pid).ifPresent(p -> {
            tree.add(p);
            p.descendants().forEach(tree::add);
        });
        say(id + " runs as PID " + pid + " (" + tree.size() + " processes); clicking again");
        badge.fire();
        await(id + " stopped, its badge stopped and all " + tree.size() + " processes gone", () ->
                service.status(id).map(s -> s.state() == AgentState.STOPPED).orElse(false)
                        && badge.getStyleClass().contains("badge-stopped")
                        && tree.stream().noneMatch(ProcessHandle::isAlive), () -> {
                    say("passed in " + (System.currentTimeMillis() - began) + " ms");
                    result.complete(0);
                });
    }

    /** What the test sees now, for a failure message. */
    private String seen() {
        if (clicked == null) {
            return "badges: " + scene.getRoot().lookupAll(".badge").size();
        }
        Optional<AgentStatus> s = service.status(clicked);
        String badgeClasses = badge().map(b -> String.join(" ", b.getStyleClass())).orElse("no badge");
        return clicked + " is " + s.map(x -> x.state() + ", PID " + x.pid() + ", " + x.message()).orElse("unknown")
                + "; badge " + badgeClasses + "; processes alive: " + tree.stream().filter(ProcessHandle::isAlive)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    private Optional<Button> badge() {
        Node preferred = scene.getRoot().lookup("#badge-" + PREFERRED);
        Node any = preferred != null ? preferred : scene.getRoot().lookup(".badge");
        return any instanceof Button b ? Optional.of(b) : Optional.empty();
    }

    /** Checks {@code done} every 100 ms on the FX thread; runs {@code next} once it holds, fails after the deadline. */
    private void await(String what, BooleanSupplier done, Runnable next) {
        long deadline = System.currentTimeMillis() + STEP_MS;
        if (poll != null) {
            poll.stop();
        }
        poll = new Timeline(new KeyFrame(Duration.millis(100), e -> {
            try {
                if (done.getAsBoolean()) {
                    poll.stop();
                    next.run();
                } else if (System.currentTimeMillis() > deadline) {
                    poll.stop();
                    fail("no " + what + " within " + STEP_MS / 1000 + " s (" + seen() + ")");
                }
            } catch (RuntimeException x) {
                poll.stop();
                fail(what + ": " + x);
            }
        }));
        poll.setCycleCount(Animation.INDEFINITE);
        poll.play();
    }

    /** Reports the failure; an agent the test started is stopped again before the result is given. */
    private void fail(String why) {
        out.println("smoke test: FAILED: " + why);
        if (clicked == null) {
            result.complete(1);
            return;
        }
        service.stop(clicked).orTimeout(20, java.util.concurrent.TimeUnit.SECONDS)
                .whenComplete((s, t) -> result.complete(1));
    }

    private void say(String what) {
        out.println("smoke test: " + what);
    }
}
