package org.latentlens.vision.image;

import java.util.ArrayList;
import java.util.List;

/**
 * HF's {@code Qwen2VLImageProcessor} (also used by Qwen2.5-VL): dynamic-resolution resize, then the
 * image cut into {@code patch_size}-pixel patches in the order the vision tower expects.
 *
 * <ol>
 *   <li>{@link #smartResize}: both sides become multiples of {@code factor = patch_size * merge_size}
 *       (28) close to the original aspect ratio, with the area brought within
 *       [{@code min_pixels}, {@code max_pixels}]; the image is resized there (BICUBIC by default).
 *       With {@code do_resize = false} the image must already have such sides.</li>
 *   <li>rescale and normalise (see {@link ResizeBackend}), channel-first.</li>
 *   <li>patchify: the still image is repeated {@code temporal_patch_size} (2) times along time; the
 *       grid is {@code t = 1, h = H / patch, w = W / patch}. Rows run over
 *       (t, block row, block column, row in block, column in block) with {@code merge_size x merge_size}
 *       blocks, so each merge group's patches are consecutive; each row holds
 *       {@code C * temporal_patch_size * patch * patch} values ordered (channel, frame, y, x).
 *       This is HF's {@code reshape(..).transpose(0, 1, 4, 7, 5, 8, 3, 2, 6, 9)}.</li>
 * </ol>
 * The output has one {@code {t, h, w}} grid per image ({@code image_grid_thw}); an image yields
 * {@code t * h * w / merge_size^2} visual tokens after the merger.
 *
 * <pre>{@code
 * Qwen2VLImageProcessor p = new Qwen2VLImageProcessor(cfg, ResizeBackend.PIL);
 * PixelValues pv = p.preprocess(image);   // shape [1120, 1176], grid [1, 28, 40]
 * }</pre>
 */
public final class Qwen2VLImageProcessor implements ImageProcessor {
    /** Images more elongated than this are refused, as by HF. */
    public static final double MAX_ASPECT_RATIO = 200;

    private final ImageProcessorConfig config;
    private final ResizeBackend backend;

    /**
     * @param config settings of kind {@link ImageProcessorConfig.Kind#QWEN2_VL}
     * @param backend the arithmetic to reproduce
     * @throws IllegalArgumentException for another kind of config
     */
    public Qwen2VLImageProcessor(ImageProcessorConfig config, ResizeBackend backend) {
        if (config.kind != ImageProcessorConfig.Kind.QWEN2_VL) {
            throw new IllegalArgumentException(config.source + ": " + config.type + " is not a Qwen2-VL processor");
        }
        this.config = config;
        this.backend = backend;
    }

    /**
     * HF's {@code smart_resize}: the size an image of {@code height x width} is resized to.
     *
     * @param height input height
     * @param width input width
     * @param factor the side multiple ({@code patch_size * merge_size})
     * @param minPixels the least area
     * @param maxPixels the most area
     * @return {height, width}, multiples of {@code factor}
     * @throws IllegalArgumentException if the aspect ratio exceeds 200
     */
    public static int[] smartResize(int height, int width, int factor, long minPixels, long maxPixels) {
        double ratio = (double) Math.max(height, width) / Math.min(height, width);
        if (ratio > MAX_ASPECT_RATIO) {
            throw new IllegalArgumentException("absolute aspect ratio must be smaller than 200, got " + ratio
                    + " for a " + width + "x" + height + " image");
        }
        // Python's round() rounds half to even, as Math.rint does.
        long hBar = (long) Math.rint((double) height / factor) * factor;
        long wBar = (long) Math.rint((double) width / factor) * factor;
        long area = (long) height * width;
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt((double) area / maxPixels);
            hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt((double) minPixels / area);
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        return new int[] {Math.toIntExact(hBar), Math.toIntExact(wBar)};
    }

    /**
     * The size the resize step produces for an input size.
     *
     * @param height input height
     * @param width input width
     * @return {height, width}
     */
    public int[] resizedSize(int height, int width) {
        if (!config.doResize) {
            return new int[] {height, width};
        }
        return smartResize(height, width, config.patchSize * config.mergeSize, config.minPixels, config.maxPixels);
    }

    @Override
    public RgbImage resize(RgbImage image) {
        int[] hw = resizedSize(image.height(), image.width());
        return backend.resize(image, hw[1], hw[0], config.resample);
    }

    @Override
    public PixelValues preprocess(List<RgbImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to process");
        }
        int p = config.patchSize;
        int m = config.mergeSize;
        int tp = config.temporalPatchSize;
        int rowLen = 3 * tp * p * p;
        List<float[]> parts = new ArrayList<>();
        List<int[]> grids = new ArrayList<>();
        long rows = 0;
        for (int i = 0; i < images.size(); i++) {
            RgbImage r = resize(images.get(i));
            int h = r.height();
            int w = r.width();
            if (h % (p * m) != 0 || w % (p * m) != 0) {
                throw new IllegalArgumentException("image " + i + " is " + w + "x" + h + " after resizing, but "
                        + config.type + " needs both sides to be multiples of patch_size * merge_size = " + (p * m)
                        + (config.doResize ? "" : " (do_resize is false: resize or crop the image first)"));
            }
            float[] chw = backend.toFloatChw(r, config.doRescale, config.rescaleFactor, config.doNormalize,
                    config.imageMean, config.imageStd);
            int gh = h / p;
            int gw = w / p;
            parts.add(patchify(chw, h, w, p, m, tp));
            grids.add(new int[] {1, gh, gw});
            rows += (long) gh * gw;
        }
        if (rows * rowLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the images give " + rows + " patches of " + rowLen
                    + " values, more than one Java array holds; process fewer or smaller images");
        }
        float[] all = new float[(int) (rows * rowLen)];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return new PixelValues(all, new long[] {rows, rowLen}, grids);
    }

    /** Cuts a normalised [3, H, W] image into HF's flattened patch rows (one frame, repeated tp times). */
    static float[] patchify(float[] chw, int h, int w, int p, int m, int tp) {
        int gh = h / p;
        int gw = w / p;
        int rowLen = 3 * tp * p * p;
        float[] out = new float[gh * gw * rowLen];
        int row = 0;
        for (int bh = 0; bh < gh / m; bh++) {
            for (int bw = 0; bw < gw / m; bw++) {
                for (int mh = 0; mh < m; mh++) {
                    for (int mw = 0; mw < m; mw++) {
                        int y0 = (bh * m + mh) * p;
                        int x0 = (bw * m + mw) * p;
                        int o = row * rowLen;
                        for (int c = 0; c < 3; c++) {
                            for (int t = 0; t < tp; t++) {
                                for (int y = 0; y < p; y++) {
                                    System.arraycopy(chw, (c * h + y0 + y) * w + x0, out, o, p);
                                    o += p;
                                }
                            }
                        }
                        row++;
                    }
                }
            }
        }
        return out;
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
