package org.latentlens.io;

/** A tensor that a model needs is not in its weight files. The message names the tensor and the files. */
public class MissingTensorException extends TensorFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message what is missing and where it was looked for */
    public MissingTensorException(String message) {
        super(message);
    }
}
