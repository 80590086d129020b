package org.latentlens.notebook;

/** Thrown into a cell's result when the user interrupted it (the notebook's stop button). */
public final class CellInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a fixed message. */
    public CellInterruptedException() {
        super("cell interrupted by the user");
    }
}
