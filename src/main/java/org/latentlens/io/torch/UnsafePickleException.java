package org.latentlens.io.torch;

import org.latentlens.io.TensorFormatException;

/**
 * A pickle asked for something the restricted unpickler does not build: a Python global outside the
 * short list torch.save files need (for example {@code os.system}), or an opcode that could run code.
 * Nothing was executed; the message names the global or opcode and the file.
 */
public class UnsafePickleException extends TensorFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message what was refused, naming the global or opcode and the file */
    public UnsafePickleException(String message) {
        super(message);
    }
}
