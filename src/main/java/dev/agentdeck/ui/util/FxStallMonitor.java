package dev.agentdeck.ui.util;

import javafx.animation.AnimationTimer;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches the FX thread's pulses: an {@link AnimationTimer} asks for one every frame, so a gap between two
 * longer than the threshold means the FX thread was busy (a stall the user sees as a frozen window). Counts
 * pulses and stalls and keeps the longest gaps; create, start and read it on the FX thread.
 */
public final class FxStallMonitor {
    private final long thresholdNanos;
    private final List<Long> stalls = new ArrayList<>();
    private long last;
    private long pulses;
    private long longest;
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            long t = System.nanoTime();
            if (last != 0) {
                long gap = t - last;
                longest = Math.max(longest, gap);
                if (gap > thresholdNanos) {
                    stalls.add(gap);
                }
            }
            last = t;
            pulses++;
        }
    };

    public FxStallMonitor(long thresholdMs) {
        this.thresholdNanos = thresholdMs * 1_000_000;
    }

    public void start() {
        last = 0;
        timer.start();
    }

    public void stop() {
        timer.stop();
    }

    /** Forgets what was seen so far (after a warm-up). */
    public void reset() {
        stalls.clear();
        pulses = 0;
        longest = 0;
        last = 0;
    }

    public long pulses() {
        return pulses;
    }

    /** The gaps longer than the threshold, in milliseconds, in the order they happened. */
    public List<Double> stallsMs() {
        return stalls.stream().map(n -> n / 1e6).toList();
    }

    public double longestGapMs() {
        return longest / 1e6;
    }
}
