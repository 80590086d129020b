package org.latentlens.hub;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Where per-file download progress goes: a terminal progress bar with bytes/s and ETA, or nowhere.
 * A notebook view may supply its own.
 */
public interface DownloadProgress {
    /** Files below this size (1 MiB) get no terminal bar. */
    long SMALL_FILE = 1L << 20;
    /** Characters per bar line (name, bar, sizes, speed, ETA). */
    int BAR_WIDTH = 110;

    /**
     * Starts tracking one file.
     *
     * @param name the file's path in the repository
     * @param total its size in bytes, or -1 when unknown
     * @param initial bytes already present (a resumed download)
     * @return the tracker, closed when the file is done or failed
     */
    Bar start(String name, long total, long initial);

    /** Progress of one file. */
    interface Bar extends AutoCloseable {
        /**
         * Records received bytes.
         *
         * @param bytes how many
         */
        void advance(long bytes);

        /** Starts over from zero (the server ignored a Range request). */
        void reset();

        @Override
        void close();
    }

    /**
     * Draws nothing.
     *
     * @return a silent tracker
     */
    static DownloadProgress none() {
        return (name, total, initial) -> new Bar() {
            @Override
            public void advance(long bytes) {
            }

            @Override
            public void reset() {
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * One {@code me.tongfei.progressbar} bar per file on standard error (KiB below 10 MiB, else MiB;
     * none below 1 MiB), with speed and ETA; a resumed
     * file starts at its resumed size so that the speed counts only new bytes.
     *
     * @return the terminal tracker
     */
    static DownloadProgress terminal() {
        return (name, total, initial) -> {
            if (total >= 0 && total < SMALL_FILE) {
                return none().start(name, total, initial); // config and the like: a bar would only flicker
            }
            String task = name.length() > 40 ? "…" + name.substring(name.length() - 39) : name;
            // Consumers with a fixed width: left to itself, the library probes the terminal through jline for
            // every bar, which costs about a second each time.
            ProgressBarConsumer consumer = System.console() != null
                    ? new InteractiveConsoleProgressBarConsumer(System.err, BAR_WIDTH)
                    : new ConsoleProgressBarConsumer(System.err, BAR_WIDTH);
            ProgressBar pb = new ProgressBarBuilder()
                    .setConsumer(consumer)
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(total >= 0 && total < (10L << 20) ? "KiB" : "MiB", total >= 0 && total < (10L << 20)
                            ? 1L << 10 : 1L << 20)
                    .showSpeed()
                    .setUpdateIntervalMillis(250)
                    .startsFrom(Math.max(0, initial), Duration.ZERO)
                    .build();
            return new Bar() {
                @Override
                public void advance(long bytes) {
                    pb.stepBy(bytes);
                }

                @Override
                public void reset() {
                    pb.stepTo(0);
                }

                @Override
                public void close() {
                    pb.close();
                }
            };
        };
    }
}
