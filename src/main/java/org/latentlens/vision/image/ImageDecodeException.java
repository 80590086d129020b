package org.latentlens.vision.image;

import java.io.IOException;

/**
 * An image file could not be turned into RGB pixels: it is not a PNG or JPEG image, it is truncated or
 * corrupt, or it uses a colour model this reader does not support (e.g. CMYK JPEG). The message names
 * the file and what went wrong.
 */
public class ImageDecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public ImageDecodeException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause the decoder's error
     */
    public ImageDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
