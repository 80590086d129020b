package org.latentlens.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the process's peak resident set size (VmHWM) from {@code /proc/self/status}. */
final class PeakRss {
    private PeakRss() {
    }

    /** @return peak RSS in bytes, or -1 where /proc is unavailable */
    static long bytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** @return peak RSS as "1.23 GiB", or "unknown" */
    static String formatted() {
        long b = bytes();
        return b < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.2f GiB", b / (double) (1L << 30));
    }
}
