package org.latentlens.notebook;

import java.util.List;

/**
 * A cell did not compile (or ended mid-statement). The message names the cell line and javac's complaint;
 * {@link #traceback()} adds the offending line with the span underlined.
 */
public final class CompilationError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> traceback;

    /**
     * @param message one line: where and what
     * @param traceback the lines Jupyter shows, the message first
     */
    public CompilationError(String message, List<String> traceback) {
        super(message, null, false, false); // no kernel stack trace: the error is in the user's code
        this.traceback = List.copyOf(traceback);
    }

    /** @return the lines to show in the notebook */
    public List<String> traceback() {
        return traceback;
    }
}
