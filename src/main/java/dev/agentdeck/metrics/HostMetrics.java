package dev.agentdeck.metrics;

import com.sun.jna.Platform;

import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's own figures. On Linux from /proc (three small files); elsewhere through OSHI. */
public interface HostMetrics {
    HostSample sample();

    static HostMetrics forThisOs() {
        return Platform.isLinux() && Files.isReadable(Path.of("/proc/stat")) ? new LinuxHostMetrics() : new OshiHostMetrics();
    }
}
