package org.latentlens.index;

import java.io.IOException;

/**
 * An index directory or one of its files cannot be used. Subclasses say why: {@link CorruptIndexException}
 * (damaged or truncated), {@link IndexFormatTooOldException} and {@link IndexFormatTooNewException}
 * (written by another version of this library). The message names the file.
 */
public class IndexFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public IndexFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause the underlying error
     */
    public IndexFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
