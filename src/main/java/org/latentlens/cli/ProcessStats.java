package org.latentlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Figures about this process that benchmarks report. */
public final class ProcessStats {
    private ProcessStats() {
    }

    /** @return the peak resident set size (VmHWM) in bytes, or -1 where /proc is unavailable */
    public static long peakRssBytes() {
        return statusField("VmHWM:");
    }

    /** @return the current resident set size (VmRSS) in bytes, or -1 where /proc is unavailable */
    public static long rssBytes() {
        return statusField("VmRSS:");
    }

    private static long statusField(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] parts = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * @param bytes a size
     * @return the size in MiB or GiB, one decimal
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        if (bytes >= 1L << 30) {
            return String.format("%.2f GiB", bytes / (double) (1L << 30));
        }
        return String.format("%.1f MiB", bytes / (double) (1L << 20));
    }
}
