package org.latentlens.index;

/** An index file is damaged: wrong magic, bad checksum, wrong length, or inconsistent contents. */
public class CorruptIndexException extends IndexFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public CorruptIndexException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause the underlying error
     */
    public CorruptIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
