package org.latentlens.notebook;

import java.util.List;

/**
 * User code threw. The message is the original exception's class and message; {@link #traceback()} is its
 * stack trace with JShell's snippet frames rewritten as "cell [n] line L" plus that line's source, and the
 * kernel's own frames left out.
 */
public final class EvaluationError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String exceptionClass;
    private final List<String> traceback;

    /**
     * @param exceptionClass the fully qualified class of what the user's code threw
     * @param message the original message, may be null
     * @param traceback the lines Jupyter shows
     */
    public EvaluationError(String exceptionClass, String message, List<String> traceback) {
        // No kernel stack trace of its own: the user's frames are in the traceback.
        super(message == null ? exceptionClass : exceptionClass + ": " + message, null, false, false);
        this.exceptionClass = exceptionClass;
        this.traceback = List.copyOf(traceback);
    }

    /** @return the fully qualified class name of the user's exception */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** @return the lines to show in the notebook */
    public List<String> traceback() {
        return traceback;
    }
}
