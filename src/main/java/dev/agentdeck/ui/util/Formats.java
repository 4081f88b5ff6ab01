package dev.agentdeck.ui.util;

import java.util.Locale;

/** Short human forms of durations and sizes for tables, badges and tooltips. */
public final class Formats {
    private Formats() {
    }

    /** 42s, 3m 05s, 2h 07m, 3d 04h. */
    public static String duration(long ms) {
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** 812 KB, 41.3 MB, 1.2 GB. */
    public static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return (bytes / 1024) + " KB";
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
        }
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1073741824.0);
    }
}
