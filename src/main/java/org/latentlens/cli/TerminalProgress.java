package org.latentlens.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The benchmark commands' progress bar: rate and ETA, redrawn twice a second on a terminal, every 15 s in a log. */
final class TerminalProgress {
    private TerminalProgress() {
    }

    /**
     * @param task the label
     * @param max the total, in steps
     * @param unit the unit's name (with a leading space)
     * @param unitSize steps per unit
     * @return the bar; close it when done
     */
    static ProgressBar bar(String task, long max, String unit, long unitSize) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(unit, unitSize).showSpeed()
                .setUpdateIntervalMillis(System.console() == null ? 15_000 : 500).continuousUpdate().build();
    }
}
