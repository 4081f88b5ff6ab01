package dev.agentdeck.testutil;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline, checking every 10 ms; fails with a message that says what was awaited. */
public final class Await {
    /** For waits that include starting another JVM. */
    public static final Duration LONG = Duration.ofSeconds(30);

    private Await() {
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    /**
     * Runs {@code probe} every {@code every} for the whole {@code window}: for assertions about what holds at every
     * moment of a span ("never more than one"), which no single condition can wait for.
     */
    public static void during(Duration window, Duration every, Runnable probe) {
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < end) {
            probe.run();
            LockSupport.parkNanos(every.toNanos());
        }
    }

    /** Like {@link #until} and shows the last observed value on failure. */
    public static <T> T value(String what, Duration timeout, Supplier<T> supplier, java.util.function.Predicate<T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T v = supplier.get();
        while (!ok.test(v)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what + "; last: " + v);
            }
            LockSupport.parkNanos(10_000_000);
            v = supplier.get();
        }
        return v;
    }
}
