package dev.agentdeck.metrics;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;

import java.time.Instant;

/** Host figures through OSHI, for systems without /proc. Created on first use: OSHI is not small. */
final class OshiHostMetrics implements HostMetrics {
    private CentralProcessor cpu;
    private GlobalMemory memory;
    private long[] prevTicks;

    @Override
    public synchronized HostSample sample() {
        if (cpu == null) {
            SystemInfo si = new SystemInfo();
            cpu = si.getHardware().getProcessor();
            memory = si.getHardware().getMemory();
            prevTicks = cpu.getSystemCpuLoadTicks();
        }
        double load = cpu.getSystemCpuLoadBetweenTicks(prevTicks) * 100;
        prevTicks = cpu.getSystemCpuLoadTicks();
        double[] avg = cpu.getSystemLoadAverage(3);
        var swap = memory.getVirtualMemory();
        return new HostSample(Instant.now(), load, memory.getTotal() - memory.getAvailable(), memory.getTotal(),
                swap.getSwapUsed(), swap.getSwapTotal(), Math.max(0, avg[0]), Math.max(0, avg[1]), Math.max(0, avg[2]),
                cpu.getLogicalProcessorCount());
    }
}
