package dev.agentdeck.os;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ProcessTable} through {@link ProcessHandle}, for systems without /proc. Start "ticks" are
 * milliseconds since the epoch; state, threads and memory are not available this way (OSHI fills them
 * in for metrics).
 */
final class PortableProcessTable implements ProcessTable {

    @Override
    public Optional<ProcInfo> read(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(this::toInfo);
    }

    @Override
    public ProcSnapshot scan() {
        List<ProcInfo> all = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> all.add(toInfo(h)));
        return new ProcSnapshot(all, System.nanoTime());
    }

    private ProcInfo toInfo(ProcessHandle h) {
        long start = h.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        long cpu = h.info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
        long pgid = Signals.processGroup(h.pid());
        return new ProcInfo(h.pid(), h.parent().map(ProcessHandle::pid).orElse(0L), pgid, 0, 'R', start, cpu, 0, 0);
    }

    @Override
    public Optional<List<String>> commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> {
            var info = h.info();
            if (info.command().isEmpty()) {
                return Optional.empty();
            }
            List<String> args = new ArrayList<>();
            args.add(info.command().get());
            info.arguments().ifPresent(a -> args.addAll(List.of(a)));
            return Optional.of(args);
        });
    }

    @Override
    public Optional<String> environmentVariable(long pid, String name) {
        return Optional.empty();
    }

    @Override
    public long ticksNow() {
        return System.currentTimeMillis() + 1;
    }

    @Override
    public Instant startInstant(long startTicks) {
        return Instant.ofEpochMilli(startTicks);
    }

    @Override
    public String bootId() {
        return "unknown";
    }

    @Override
    public long ticksPerSecond() {
        return 1000;
    }
}
