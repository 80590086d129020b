package org.latentlens.render;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Progress of a long call (building an index, a download), shown where the user is: in a notebook as one
 * output line updated in place, on a terminal as a progress bar ({@code me.tongfei:progressbar}).
 *
 * <p>Where it goes is decided by a {@link Sink} factory: the terminal by default; the Jupyter kernel installs
 * its own when it starts (this package knows nothing of the kernel). Updates reach the sink at most every
 * {@value #MIN_UPDATE_MILLIS} ms, and always at the end.
 *
 * <pre>
 * try (Progress p = Progress.start("Embedding corpus", sentences.size())) {
 *     for (String s : sentences) { embed(s); p.step(); }
 * }
 * </pre>
 */
public final class Progress implements View, AutoCloseable {
    /** Fewest milliseconds between two updates sent to a sink. */
    public static final long MIN_UPDATE_MILLIS = 200;

    /** Where a progress is shown. */
    public interface Sink {
        /** @param p the progress, just started */
        void started(Progress p);

        /** @param p the progress, advanced */
        void updated(Progress p);

        /** @param p the progress, done or closed early */
        void finished(Progress p);
    }

    private static volatile Function<Progress, Sink> sinks = TerminalSink::new;

    private final String task;
    private final long total;
    private final long startNanos = System.nanoTime();
    private volatile long current;
    private volatile String message = "";
    private volatile boolean done;
    private long lastUpdate;
    private final Sink sink;

    private Progress(String task, long total) {
        this.task = Objects.requireNonNull(task, "task");
        this.total = total;
        this.sink = sinks.apply(this);
    }

    /**
     * Chooses where progress is shown from now on (the notebook kernel calls this at start-up).
     *
     * @param factory makes a sink for each new progress
     */
    public static void useSinks(Function<Progress, Sink> factory) {
        sinks = Objects.requireNonNull(factory, "factory");
    }

    /** Shows progress on the terminal again (the default). */
    public static void useTerminal() {
        sinks = TerminalSink::new;
    }

    /**
     * @param task what is being done, e.g. "Embedding corpus"
     * @param total the number of steps, or -1 when unknown
     * @return the started progress; close it when done
     */
    public static Progress start(String task, long total) {
        Progress p = new Progress(task, total);
        p.sink.started(p);
        return p;
    }

    /** Advances by one step. */
    public void step() {
        stepBy(1);
    }

    /** @param n steps to advance by */
    public synchronized void stepBy(long n) {
        stepTo(current + n);
    }

    /** @param n the number of steps done so far */
    public synchronized void stepTo(long n) {
        current = n;
        long now = System.nanoTime();
        if ((now - lastUpdate) / 1_000_000 >= MIN_UPDATE_MILLIS || (total > 0 && n >= total)) {
            lastUpdate = now;
            sink.updated(this);
        }
    }

    /** @param text a short status shown after the counts (e.g. the current file) */
    public void message(String text) {
        this.message = text == null ? "" : text;
    }

    /** @return the task's name */
    public String task() {
        return task;
    }

    /** @return steps done */
    public long current() {
        return current;
    }

    /** @return total steps, or -1 when unknown */
    public long total() {
        return total;
    }

    /** @return the status message */
    public String message() {
        return message;
    }

    /** @return whether {@link #close()} was called */
    public boolean isDone() {
        return done;
    }

    /** @return time since start */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** @return the fraction done in [0, 1], or NaN when the total is unknown */
    public double fraction() {
        return total > 0 ? Math.min(1.0, current / (double) total) : Double.NaN;
    }

    private static String clock(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private String counts() {
        double secs = Math.max(1e-9, elapsed().toNanos() / 1e9);
        double rate = current / secs;
        StringBuilder b = new StringBuilder();
        b.append(current);
        if (total > 0) {
            b.append('/').append(total);
        }
        b.append(String.format(Locale.ROOT, " \u00b7 %s \u00b7 %.1f/s", clock(elapsed()), rate));
        if (total > 0 && !done && rate > 0 && current < total) {
            b.append(" \u00b7 ETA ").append(clock(Duration.ofSeconds((long) ((total - current) / rate))));
        }
        return b.toString();
    }

    @Override
    public String toHtml() {
        double f = fraction();
        String pct = Double.isNaN(f) ? "" : String.format(Locale.ROOT, "%.0f%%", f * 100);
        String width = Double.isNaN(f) ? "100%" : String.format(Locale.ROOT, "%.1f%%", f * 100);
        String colour = done ? "#2da44e" : "#0969da";
        return Html.STYLE + "<div class=\"ll\"><div class=\"ll-prog\"><b>" + Html.escape(task) + "</b><span class=\"ll-pbar\">"
                + "<span style=\"width:" + width + ";background:" + colour + (Double.isNaN(f) && !done ? ";opacity:.35" : "")
                + "\"></span></span><span class=\"ll-sim\" style=\"width:auto\">" + pct + "</span><span class=\"ll-cap\">"
                + Html.escape(counts()) + (message.isEmpty() ? "" : " \u00b7 " + Html.escape(message))
                + (done ? " \u00b7 done" : "") + "</span></div></div>";
    }

    @Override
    public String toText() {
        double f = fraction();
        return task + (Double.isNaN(f) ? "" : String.format(Locale.ROOT, " %3.0f%%", f * 100)) + " " + counts()
                + (message.isEmpty() ? "" : " " + message) + (done ? " done" : "");
    }

    @Override
    public String toString() {
        return toText();
    }

    /** Marks the task done and sends the final state. */
    @Override
    public synchronized void close() {
        if (!done) {
            done = true;
            sink.finished(this);
        }
    }

    /** The terminal sink: a {@code me.tongfei.progressbar} bar on standard error. */
    private static final class TerminalSink implements Sink {
        private final ProgressBar bar;

        TerminalSink(Progress p) {
            this.bar = new ProgressBarBuilder().setTaskName(p.task()).setInitialMax(p.total())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) MIN_UPDATE_MILLIS)
                    .continuousUpdate().build();
        }

        @Override
        public void started(Progress p) {
        }

        @Override
        public void updated(Progress p) {
            bar.stepTo(p.current());
            bar.setExtraMessage(p.message());
        }

        @Override
        public void finished(Progress p) {
            bar.stepTo(p.current());
            bar.close();
        }
    }
}
