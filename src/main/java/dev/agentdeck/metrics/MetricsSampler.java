package dev.agentdeck.metrics;

import dev.agentdeck.core.Usage;
import dev.agentdeck.os.ProcSnapshot;
import dev.agentdeck.os.ProcessTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Samples every running agent's process tree and the host. Agents someone is watching (the panel's detail
 * view, an API client) are sampled every {@code intervalMs}; the others every {@code backgroundMs}, which
 * keeps an idle engine cheap while every sample still reaches history. One thread; one /proc read per
 * process per sample.
 */
public final class MetricsSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);

    /** An agent's running main process, for sampling. */
    public record Target(String agentId, long pid, long startTicks, boolean leadsGroup) {
    }

    private final TreeSampler trees;
    private final HostMetrics host;
    private final Supplier<List<Target>> targets;
    private final long intervalMs;
    private final long backgroundMs;
    private final Consumer<SampleBatch> sink;
    private final Map<String, AtomicInteger> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger hostWatchers = new AtomicInteger();
    private final Map<String, Long> lastSampled = new HashMap<>();
    private final ScheduledExecutorService thread;
    private volatile HostSample latestHost;
    private long lastHostNanos;
    private volatile long samplesTaken;
    private volatile long sampleNanos;

    public MetricsSampler(ProcessTable table, HostMetrics host, Supplier<List<Target>> targets, long intervalMs,
                          long backgroundMs, Consumer<SampleBatch> sink, String name) {
        this.trees = new TreeSampler(table);
        this.host = host;
        this.targets = targets;
        this.intervalMs = intervalMs;
        this.backgroundMs = Math.max(intervalMs, backgroundMs);
        this.sink = sink;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agentdeck-metrics-" + name);
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Samples {@code agentId} at the full rate until the returned handle is closed. */
    public AutoCloseable watch(String agentId) {
        AtomicInteger n = watchers.computeIfAbsent(agentId, k -> new AtomicInteger());
        n.incrementAndGet();
        return n::decrementAndGet;
    }

    /** Samples the host at the full rate until the returned handle is closed. */
    public AutoCloseable watchHost() {
        hostWatchers.incrementAndGet();
        return hostWatchers::decrementAndGet;
    }

    /** Refreshes which processes belong to which agent, from the engine's full scan. */
    public void onScan(ProcSnapshot snap) {
        trees.refresh(snap, targets.get());
    }

    public HostSample latestHost() {
        return latestHost;
    }

    /** Agent samples taken so far and their mean cost in microseconds (for the benchmark). */
    public String costSummary() {
        long n = samplesTaken;
        return n == 0 ? "no samples" : n + " agent samples, " + String.format(java.util.Locale.ROOT, "%.1f", sampleNanos / 1000.0 / n) + " µs each";
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            List<AgentSample> samples = new ArrayList<>();
            Instant at = Instant.now();
            for (Target t : targets.get()) {
                AtomicInteger w = watchers.get(t.agentId());
                Long last = lastSampled.get(t.agentId());
                boolean due = (w != null && w.get() > 0) || last == null || now - last >= (backgroundMs - intervalMs / 2) * 1_000_000L;
                if (!due) {
                    continue;
                }
                long s0 = System.nanoTime();
                Usage u = trees.sample(t, now);
                sampleNanos += System.nanoTime() - s0;
                samplesTaken++;
                lastSampled.put(t.agentId(), now);
                if (u != null) {
                    samples.add(new AgentSample(t.agentId(), t.pid(), at, u));
                }
            }
            HostSample h = null;
            boolean hostDue = hostWatchers.get() > 0 || now - lastHostNanos >= (backgroundMs - intervalMs / 2) * 1_000_000L;
            if (hostDue) {
                h = host.sample();
                latestHost = h;
                lastHostNanos = now;
            }
            if (lastSampled.size() > 4 * Math.max(16, samples.size())) {
                lastSampled.keySet().retainAll(targets.get().stream().map(Target::agentId).toList());
                trees.prune();
            }
            if (!samples.isEmpty() || h != null) {
                sink.accept(new SampleBatch(at, samples, h));
            }
        } catch (RuntimeException e) {
            LOG.error("a metrics tick failed", e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
