package org.latentlens.io;

/**
 * A tensor file is malformed or does not match what the reader needs: a truncated or corrupt header,
 * an unsupported dtype, a shape mismatch. The message names the file and the tensor.
 */
public class TensorFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file and the tensor */
    public TensorFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the tensor
     * @param cause the underlying error
     */
    public TensorFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
