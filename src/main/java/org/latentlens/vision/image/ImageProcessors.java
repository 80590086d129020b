package org.latentlens.vision.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the image processor a checkpoint declares in its {@code preprocessor_config.json}.
 *
 * <pre>{@code
 * ImageProcessor p = ImageProcessors.load(Path.of("models/clip-vit-large-patch14-336"));
 * ImageProcessor fast = ImageProcessors.load(modelDir, ResizeBackend.TORCHVISION);
 * }</pre>
 *
 * @see ImageProcessorConfig for the supported classes and their defaults
 * @see ResizeBackend for why PIL is the default backend
 */
public final class ImageProcessors {
    /** The file name HF stores image-processor settings under. */
    public static final String CONFIG_FILE = "preprocessor_config.json";

    private ImageProcessors() {
    }

    /**
     * Loads the processor of a model directory (or a {@code preprocessor_config.json} file) with the
     * default {@link ResizeBackend#PIL} backend.
     *
     * @param modelDirOrFile a model directory or the JSON file itself
     * @return the processor
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the processor type or a setting is not supported
     */
    public static ImageProcessor load(Path modelDirOrFile) throws IOException {
        return load(modelDirOrFile, ResizeBackend.PIL);
    }

    /**
     * Loads the processor of a model directory (or a {@code preprocessor_config.json} file).
     *
     * @param modelDirOrFile a model directory or the JSON file itself
     * @param backend the arithmetic to reproduce
     * @return the processor
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the processor type or a setting is not supported
     */
    public static ImageProcessor load(Path modelDirOrFile, ResizeBackend backend) throws IOException {
        Path file = Files.isDirectory(modelDirOrFile) ? modelDirOrFile.resolve(CONFIG_FILE) : modelDirOrFile;
        return create(ImageProcessorConfig.load(file), backend);
    }

    /**
     * The processor for validated settings.
     *
     * @param config the settings
     * @param backend the arithmetic to reproduce
     * @return the processor
     */
    public static ImageProcessor create(ImageProcessorConfig config, ResizeBackend backend) {
        switch (config.kind) {
            case QWEN2_VL:
                return new Qwen2VLImageProcessor(config, backend);
            case RESIZE_CROP_NORMALIZE:
                return new ResizeCropNormalizeProcessor(config, backend);
            default:
                throw new IllegalStateException("no processor for " + config.kind);
        }
    }
}
