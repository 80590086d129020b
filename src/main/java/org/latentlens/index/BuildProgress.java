package org.latentlens.index;

/**
 * Receives an index build's progress after every checkpointed batch, for displays other than the terminal
 * bar (a notebook's updating line, a GUI). Set with {@link BuildOptions.Builder#optProgress}; when set, the
 * terminal bar is not drawn.
 */
@FunctionalInterface
public interface BuildProgress {
    /**
     * @param sentencesDone sentences processed so far (including those done before a resume)
     * @param totalSentences the corpus size
     * @param tokensPerSecond real tokens per second in this run
     * @param rows rows stored per layer so far
     */
    void update(long sentencesDone, long totalSentences, double tokensPerSecond, long rows);
}
