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

    /**
     * An agent's running main process, for sampling, and which processes of a scan count as its run (its tree; or,
     * given by the engine, every member of the run's unit, a daemon that left the tree included).
     */
    public record Target(String agentId, long pid, long startTicks, boolean leadsGroup,
                         java.util.function.Function<dev.agentdeck.os.ProcSnapshot, java.util.Collection<dev.agentdeck.os.ProcInfo>> members) {
        public Target(String agentId, long pid, long startTicks, boolean leadsGroup) {
            this(agentId, pid, startTicks, leadsGroup, snap -> snap.treeOf(pid, startTicks, leadsGroup).values());
        }
    }

    private final TreeSampler trees;
    private final HostMetrics host;
    private final Supplier<List<Target>> targets;
    private final long intervalMs;
    private final long backgroundMs;
    private final Consumer<SampleBatch> sink;
    private final Map<String, AtomicInteger> watchers = new ConcurrentHashMap<>();
    private final AtomicInteger hostWatchers = new AtomicInteger();
    /** Watches of anything; while there are none, the sampler sleeps until the next background sample. */
    private final AtomicInteger watching = new AtomicInteger();
    private final Map<String, Long> lastSampled = new HashMap<>();
    private final ScheduledExecutorService thread;
    private static final int PRUNE_EVERY_TICKS = 10;
    private long ticks;
    /** The pending tick; touched only on the sampler's thread. */
    private java.util.concurrent.ScheduledFuture<?> next;
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
        thread.execute(() -> next = thread.schedule(this::tick, intervalMs, TimeUnit.MILLISECONDS));
    }

    /** Samples {@code agentId} at the full rate until the returned handle is closed. */
    public AutoCloseable watch(String agentId) {
        AtomicInteger n = watchers.computeIfAbsent(agentId, k -> new AtomicInteger());
        n.incrementAndGet();
        if (watching.incrementAndGet() == 1) {
            wake();
        }
        return () -> {
            n.decrementAndGet();
            watching.decrementAndGet();
        };
    }

    /** Samples the host at the full rate until the returned handle is closed. */
    public AutoCloseable watchHost() {
        hostWatchers.incrementAndGet();
        if (watching.incrementAndGet() == 1) {
            wake();
        }
        return () -> {
            hostWatchers.decrementAndGet();
            watching.decrementAndGet();
        };
    }

    /** Refreshes which processes belong to which agent, from the engine's full scan. */
    public void onScan(ProcSnapshot snap) {
        trees.refresh(snap, targets.get());
    }

    public HostSample latestHost() {
        return latestHost;
    }

    /** Agent samples taken so far and their mean CPU cost in microseconds (for the benchmark). */
    public String costSummary() {
        long n = samplesTaken;
        return n == 0 ? "no samples" : n + " agent samples, " + String.format(java.util.Locale.ROOT, "%.1f", sampleNanos / 1000.0 / n) + " µs each";
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private void tick() {
        try {
            long now = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            int taken = 0;
            List<AgentSample> samples = new ArrayList<>();
            Instant at = Instant.now();
            for (Target t : targets.get()) {
                AtomicInteger w = watchers.get(t.agentId());
                Long last = lastSampled.get(t.agentId());
                boolean due = (w != null && w.get() > 0) || last == null || now - last >= (backgroundMs - intervalMs / 2) * 1_000_000L;
                if (!due) {
                    continue;
                }
                Usage u = trees.sample(t, now);
                taken++;
                lastSampled.put(t.agentId(), now);
                if (u != null) {
                    samples.add(new AgentSample(t.agentId(), t.pid(), at, u));
                }
            }
            if (taken > 0) {
                sampleNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
                samplesTaken += taken;
            }
            HostSample h = null;
            boolean hostDue = hostWatchers.get() > 0 || now - lastHostNanos >= (backgroundMs - intervalMs / 2) * 1_000_000L;
            if (hostDue) {
                h = host.sample();
                latestHost = h;
                lastHostNanos = now;
            }
            if (++ticks % PRUNE_EVERY_TICKS == 0) {
                lastSampled.keySet().retainAll(targets.get().stream().map(Target::agentId).toList());
                trees.prune();
            }
            if (!samples.isEmpty() || h != null) {
                sink.accept(new SampleBatch(at, samples, h));
            }
        } catch (RuntimeException e) {
            LOG.error("a metrics tick failed", e);
        } finally {
            scheduleNext();
        }
    }

    /**
     * The next tick: at the full rate while anything is watched (a watch may start at any moment, so it is
     * noticed within one interval); otherwise when the earliest background sample falls due.
     */
    /** Samples now and resumes the full rate: the first watch must not wait for a background sleep to end. */
    private void wake() {
        try {
            thread.execute(() -> {
                if (next != null) {
                    next.cancel(false);
                }
                tick();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void scheduleNext() {
        if (thread.isShutdown()) {
            return;
        }
        long delay = intervalMs;
        if (watching.get() == 0 && !lastSampled.isEmpty()) {
            long now = System.nanoTime();
            long earliest = Long.MAX_VALUE;
            for (long last : lastSampled.values()) {
                earliest = Math.min(earliest, last + backgroundMs * 1_000_000L);
            }
            earliest = Math.min(earliest, lastHostNanos + backgroundMs * 1_000_000L);
            delay = Math.max(intervalMs, Math.min(backgroundMs, (earliest - now) / 1_000_000L));
        }
        try {
            next = thread.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trees.close();
    }
}
