package org.latentlens.io;

/** A model or tokenizer configuration is missing, malformed, or names something unsupported. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file and the key */
    public ConfigException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the key
     * @param cause the underlying error
     */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
