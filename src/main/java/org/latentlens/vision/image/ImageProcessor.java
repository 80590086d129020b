package org.latentlens.vision.image;

import java.util.List;

/**
 * Turns RGB images into a vision model's {@code pixel_values}, as a HuggingFace image processor does.
 * Implementations are immutable and thread-safe.
 *
 * <pre>{@code
 * ImageProcessor p = ImageProcessors.load(modelDir);                // PIL backend
 * PixelValues pv = p.preprocess(ImageLoader.read(Path.of("cat.png")));
 * }</pre>
 *
 * @see ImageProcessors
 */
public interface ImageProcessor {
    /**
     * Processes a batch of images.
     *
     * @param images one or more images
     * @return the pixel values of all images (and their patch grids where the processor has them)
     * @throws IllegalArgumentException if the batch is empty, or an image cannot be processed (too
     *     small, too elongated, or not batchable with the others), naming the image's index
     */
    PixelValues preprocess(List<RgbImage> images);

    /**
     * Processes one image.
     *
     * @param image the image
     * @return its pixel values
     */
    default PixelValues preprocess(RgbImage image) {
        return preprocess(List.of(image));
    }

    /**
     * The resize step alone (before any crop, rescale or normalisation): HF's {@code resized_uint8}.
     *
     * @param image the image
     * @return the resized image (a copy of the input when the processor does not resize)
     */
    RgbImage resize(RgbImage image);

    /** @return the settings this processor runs with */
    ImageProcessorConfig config();

    /** @return the arithmetic it reproduces */
    ResizeBackend backend();
}
