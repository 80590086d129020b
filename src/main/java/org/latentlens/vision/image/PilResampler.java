package org.latentlens.vision.image;

/**
 * Image resizing that reproduces Pillow's {@code Image.resize} on 8-bit RGB images to the last bit
 * (checked against Pillow 12.3 through HF's fixtures).
 *
 * <p>How Pillow resamples (its {@code ImagingResample}), which this class follows step by step:
 * <ul>
 *   <li>The resize is separable: a horizontal pass, then a vertical pass, each skipped when that
 *       axis keeps its size. The horizontal pass only computes the input rows the vertical pass will
 *       read. The intermediate image is 8-bit, i.e. clipped and rounded between the passes.</li>
 *   <li>For each output index {@code i} the source centre is {@code (i + 0.5) * scale}, with
 *       {@code scale = in / out}. When downscaling the kernel is stretched by {@code scale} (its
 *       support grows with it), which is what makes the result antialiased. Taps run from
 *       {@code (int)(centre - support + 0.5)} to {@code (int)(centre + support + 0.5)}, clamped to
 *       the image, and the weights are normalised to sum to 1.</li>
 *   <li>The weights are then turned into fixed point with {@link #PRECISION_BITS} = 22 fractional
 *       bits (rounded half away from zero), the sums are integers started at one half, and each
 *       result is shifted back and clipped to 0..255.</li>
 *   <li>NEAREST is not a convolution: Pillow samples {@code floor((i + 0.5) * scale)} with the
 *       position accumulated in double precision, as done here.</li>
 *   <li>Very tall images ({@code height > 100 * width}) that shrink vertically are resized vertically
 *       first, as {@code Image.resize} does.</li>
 * </ul>
 * The kernel functions are in {@link Resampling}.
 *
 * <pre>{@code
 * RgbImage small = PilResampler.resize(image, 336, 224, Resampling.BICUBIC);
 * }</pre>
 */
public final class PilResampler {
    /** Fractional bits of Pillow's fixed-point weights: 32 - 8 (result) - 2 (overflow headroom). */
    public static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {
    }

    /**
     * Resizes an image as {@code PIL.Image.resize((width, height), resample)} does.
     *
     * @param image the source
     * @param width output width, at least 1
     * @param height output height, at least 1
     * @param filter the resampling filter
     * @return a new image (or a copy when the size is unchanged)
     * @throws IllegalArgumentException if a size is below 1
     */
    public static RgbImage resize(RgbImage image, int width, int height, Resampling filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("height and width must be > 0, got " + width + "x" + height);
        }
        int inW = image.width();
        int inH = image.height();
        if (inW == width && inH == height) {
            return new RgbImage(width, height, image.hwc().clone());
        }
        if (filter == Resampling.NEAREST) {
            return nearest(image, width, height);
        }
        if (inH > inW * 100 && height < inH) {
            // Image.resize: vertical pass first for very tall images (two separate resize calls).
            RgbImage tall = resample(image, inW, height, filter);
            return resample(tall, width, height, filter);
        }
        return resample(image, width, height, filter);
    }

    /** Weights and tap ranges of one axis: for output {@code i}, taps {@code start[i] .. start[i]+count[i]}. */
    static final class Coefficients {
        final int ksize;
        final int[] start;
        final int[] count;
        final double[] weights;

        Coefficients(int ksize, int[] start, int[] count, double[] weights) {
            this.ksize = ksize;
            this.start = start;
            this.count = count;
            this.weights = weights;
        }
    }

    /** Pillow's {@code precompute_coeffs} for the box [in0, in1) of an axis of inSize pixels. */
    static Coefficients precompute(int inSize, float in0, float in1, int outSize, Resampling filter) {
        // (in1 - in0) is a float subtraction in Pillow (the box is float[4]); exact for image sizes.
        double scale = (double) (in1 - in0) / outSize;
        double filterscale = scale < 1.0 ? 1.0 : scale;
        double support = filter.support() * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double invFilterscale = 1.0 / filterscale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        double[] kk = new double[outSize * ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = in0 + (xx + 0.5) * scale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0.0;
            int base = xx * ksize;
            for (int x = 0; x < xmax; x++) {
                double w = filter.kernel((x + xmin - center + 0.5) * invFilterscale);
                kk[base + x] = w;
                ww += w;
            }
            if (ww != 0.0) {
                for (int x = 0; x < xmax; x++) {
                    kk[base + x] /= ww;
                }
            }
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coefficients(ksize, start, count, kk);
    }

    /** Pillow's {@code normalize_coeffs_8bpc}: round half away from zero to 22 fractional bits. */
    static int[] fixedPoint(double[] weights) {
        int[] k = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double v = weights[i];
            k[i] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
        }
        return k;
    }

    private static int clip8(int ss) {
        int v = ss >> PRECISION_BITS;
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }

    private static RgbImage resample(RgbImage image, int width, int height, Resampling filter) {
        int inW = image.width();
        int inH = image.height();
        boolean needHorizontal = width != inW;
        boolean needVertical = height != inH;
        Coefficients vert = precompute(inH, 0f, inH, height, filter);
        int yFirst = vert.start[0];
        int yLast = vert.start[height - 1] + vert.count[height - 1];

        byte[] src = image.hwc();
        int srcW = inW;
        int rowShift = 0;
        if (needHorizontal) {
            Coefficients horiz = precompute(inW, 0f, inW, width, filter);
            src = horizontal(src, inW, yFirst, yLast - yFirst, width, horiz);
            srcW = width;
            rowShift = yFirst;
        }
        if (needVertical) {
            return new RgbImage(width, height, vertical(src, srcW, rowShift, height, vert));
        }
        return new RgbImage(srcW, needHorizontal ? yLast - yFirst : inH, src == image.hwc() ? src.clone() : src);
    }

    private static byte[] horizontal(byte[] in, int inW, int rowOffset, int rows, int outW, Coefficients c) {
        int[] k = fixedPoint(c.weights);
        byte[] out = new byte[rows * outW * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int yy = 0; yy < rows; yy++) {
            int inRow = (yy + rowOffset) * inW * 3;
            int outRow = yy * outW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.start[xx];
                int n = c.count[xx];
                int kb = xx * c.ksize;
                int s0 = half;
                int s1 = half;
                int s2 = half;
                for (int x = 0; x < n; x++) {
                    int p = inRow + (x + xmin) * 3;
                    int w = k[kb + x];
                    s0 += (in[p] & 0xFF) * w;
                    s1 += (in[p + 1] & 0xFF) * w;
                    s2 += (in[p + 2] & 0xFF) * w;
                }
                int o = outRow + xx * 3;
                out[o] = (byte) clip8(s0);
                out[o + 1] = (byte) clip8(s1);
                out[o + 2] = (byte) clip8(s2);
            }
        }
        return out;
    }

    /** Vertical pass; {@code rowShift} is subtracted from the tap positions (rows skipped earlier). */
    private static byte[] vertical(byte[] in, int w, int rowShift, int outH, Coefficients c) {
        int[] k = fixedPoint(c.weights);
        byte[] out = new byte[outH * w * 3];
        int half = 1 << (PRECISION_BITS - 1);
        int stride = w * 3;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.start[yy] - rowShift;
            int n = c.count[yy];
            int kb = yy * c.ksize;
            int outRow = yy * stride;
            for (int i = 0; i < stride; i++) {
                int s = half;
                int p = ymin * stride + i;
                for (int y = 0; y < n; y++, p += stride) {
                    s += (in[p] & 0xFF) * k[kb + y];
                }
                out[outRow + i] = (byte) clip8(s);
            }
        }
        return out;
    }

    /** Pillow's NEAREST resize ({@code ImagingScaleAffine}): positions accumulated in double. */
    private static RgbImage nearest(RgbImage image, int width, int height) {
        int inW = image.width();
        int inH = image.height();
        double ax = (double) inW / width;
        double ay = (double) inH / height;
        int[] xin = new int[width];
        double xo = ax * 0.5;
        for (int x = 0; x < width; x++) {
            int xi = xo < 0.0 ? -1 : (int) xo;
            xin[x] = Math.min(Math.max(xi, 0), inW - 1);
            xo += ax;
        }
        byte[] in = image.hwc();
        byte[] out = new byte[width * height * 3];
        double yo = ay * 0.5;
        for (int y = 0; y < height; y++) {
            int yi = yo < 0.0 ? -1 : (int) yo;
            yi = Math.min(Math.max(yi, 0), inH - 1);
            for (int x = 0; x < width; x++) {
                System.arraycopy(in, (yi * inW + xin[x]) * 3, out, (y * width + x) * 3, 3);
            }
            yo += ay;
        }
        return new RgbImage(width, height, out);
    }
}
