package org.latentlens.vision.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The image path of the original LatentLens {@code quickstart.py} (Qwen2-VL-7B-Instruct): the image
 * is centre-cropped to a square ({@code m = min(w, h)}, {@code left = (w - m) // 2},
 * {@code top = (h - m) // 2}) and resized to 448x448 with PIL's LANCZOS, then given to the Qwen2-VL
 * processor with {@code min_pixels = max_pixels = 448 * 448} and {@code do_resize = false}: a
 * 32x32 patch grid, 16x16 = 256 visual tokens.
 *
 * <p>The LANCZOS step always uses Pillow's arithmetic (the quickstart calls PIL directly), whichever
 * backend the processor reproduces afterwards.
 *
 * <pre>{@code
 * RgbImage square = QuickstartImagePreparation.prepare(ImageLoader.read(path));
 * PixelValues pv = QuickstartImagePreparation.processor(ResizeBackend.PIL).preprocess(square);
 * }</pre>
 */
public final class QuickstartImagePreparation {
    /** The side of the prepared square image. */
    public static final int RESOLUTION = 448;

    private QuickstartImagePreparation() {
    }

    /**
     * Centre square crop and LANCZOS resize to {@link #RESOLUTION}, as {@code quickstart.preprocess_image}.
     *
     * @param image the loaded image
     * @return the 448x448 image
     */
    public static RgbImage prepare(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int m = Math.min(w, h);
        RgbImage square = image.crop((h - m) / 2, (w - m) / 2, m, m);
        return PilResampler.resize(square, RESOLUTION, RESOLUTION, Resampling.LANCZOS);
    }

    /**
     * The Qwen2-VL processor as the quickstart configures it (Qwen2-VL-7B-Instruct's settings with
     * {@code min_pixels = max_pixels = 200704} and {@code do_resize = false}).
     *
     * @param backend the arithmetic to reproduce
     * @return the processor
     */
    public static Qwen2VLImageProcessor processor(ResizeBackend backend) {
        ObjectNode cfg = new ObjectMapper().createObjectNode();
        cfg.put("image_processor_type", "Qwen2VLImageProcessor");
        cfg.put("do_resize", false);
        cfg.put("min_pixels", RESOLUTION * RESOLUTION);
        cfg.put("max_pixels", RESOLUTION * RESOLUTION);
        cfg.put("patch_size", 14);
        cfg.put("merge_size", 2);
        cfg.put("temporal_patch_size", 2);
        return new Qwen2VLImageProcessor(ImageProcessorConfig.fromJson(cfg, "LatentLens quickstart settings"), backend);
    }
}
