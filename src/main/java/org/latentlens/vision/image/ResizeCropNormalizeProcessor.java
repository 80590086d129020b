package org.latentlens.vision.image;

import java.util.List;

/**
 * HF's base image pipeline, used by CLIP ({@code CLIPImageProcessor}), SigLIP
 * ({@code SiglipImageProcessor}) and DINOv2 ({@code BitImageProcessor}):
 * <ol>
 *   <li>resize: to a fixed {@code height x width}, or so that the shorter side is
 *       {@code shortest_edge} and the longer side is {@code int(shortest_edge * long / short)}
 *       (truncated, as HF's {@code get_resize_output_image_size});</li>
 *   <li>centre crop to {@code crop_size} (top = floor((H - h) / 2), left = floor((W - w) / 2));</li>
 *   <li>rescale ({@code x * rescale_factor}) and normalise ({@code (x - mean) / std}) with the
 *       backend's float arithmetic (see {@link ResizeBackend});</li>
 *   <li>stack to {@code [N, 3, H, W]}.</li>
 * </ol>
 *
 * <pre>{@code
 * ImageProcessor clip = new ResizeCropNormalizeProcessor(ImageProcessorConfig.load(cfgFile), ResizeBackend.PIL);
 * PixelValues pv = clip.preprocess(image);   // [1, 3, 336, 336]
 * }</pre>
 */
public final class ResizeCropNormalizeProcessor implements ImageProcessor {
    private final ImageProcessorConfig config;
    private final ResizeBackend backend;

    /**
     * @param config settings of kind {@link ImageProcessorConfig.Kind#RESIZE_CROP_NORMALIZE}
     * @param backend the arithmetic to reproduce
     * @throws IllegalArgumentException for a Qwen2-VL config
     */
    public ResizeCropNormalizeProcessor(ImageProcessorConfig config, ResizeBackend backend) {
        if (config.kind != ImageProcessorConfig.Kind.RESIZE_CROP_NORMALIZE) {
            throw new IllegalArgumentException(config.source + ": " + config.type
                    + " is not a resize/crop/normalise processor");
        }
        this.config = config;
        this.backend = backend;
    }

    /**
     * The output size of the resize step for an input size, as HF computes it.
     *
     * @param height input height
     * @param width input width
     * @return {height, width}
     */
    public int[] resizedSize(int height, int width) {
        if (config.shortestEdge == 0) {
            return new int[] {config.height, config.width};
        }
        int size = config.shortestEdge;
        int shortSide = Math.min(height, width);
        int longSide = Math.max(height, width);
        // Python: int(size * long / short) -- true division of ints, then truncation.
        int newLong = (int) ((double) ((long) size * longSide) / shortSide);
        return width <= height ? new int[] {newLong, size} : new int[] {size, newLong};
    }

    @Override
    public RgbImage resize(RgbImage image) {
        if (!config.doResize) {
            return new RgbImage(image.width(), image.height(), image.hwc().clone());
        }
        int[] hw = resizedSize(image.height(), image.width());
        return backend.resize(image, hw[1], hw[0], config.resample);
    }

    /**
     * Resize and centre crop: the uint8 image that is rescaled and normalised.
     *
     * @param image the input
     * @return the prepared image
     */
    public RgbImage prepare(RgbImage image) {
        RgbImage r = resize(image);
        return config.doCenterCrop ? backend.centerCrop(r, config.cropHeight, config.cropWidth) : r;
    }

    @Override
    public PixelValues preprocess(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to process");
        }
        float[][] each = new float[images.size()][];
        int h = -1;
        int w = -1;
        for (int i = 0; i < images.size(); i++) {
            RgbImage p = prepare(images.get(i));
            if (i == 0) {
                h = p.height();
                w = p.width();
            } else if (p.height() != h || p.width() != w) {
                throw new IllegalArgumentException("image " + i + " becomes " + p.width() + "x" + p.height()
                        + " but image 0 becomes " + w + "x" + h + "; images of different sizes cannot be"
                        + " stacked (enable do_center_crop or use a fixed size)");
            }
            each[i] = backend.toFloatChw(p, config.doRescale, config.rescaleFactor, config.doNormalize,
                    config.imageMean, config.imageStd);
        }
        int per = 3 * h * w;
        float[] all = new float[per * images.size()];
        for (int i = 0; i < each.length; i++) {
            System.arraycopy(each[i], 0, all, i * per, per);
        }
        return new PixelValues(all, new long[] {images.size(), 3, h, w}, List.of());
    }

    @Override
    public ImageProcessorConfig config() {
        return config;
    }

    @Override
    public ResizeBackend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return config + " (" + backend + " backend)";
    }
}
