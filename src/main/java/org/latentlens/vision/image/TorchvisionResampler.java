package org.latentlens.vision.image;

/**
 * Image resizing with the semantics of {@code torchvision.transforms.v2.functional.resize} on a CPU
 * uint8 tensor with {@code antialias=True}: the resize of HF's torchvision ("fast") image processors,
 * bit-exact against the fixtures (torch 2.14, torchvision 0.29).
 *
 * <p>Torch's uint8 kernel is a port of Pillow's: the same separable antialiased kernel (same centres,
 * support scaled by the downscale factor, horizontal pass then vertical pass, uint8 image between
 * the passes). What differs is the fixed-point arithmetic, and that is why the two backends disagree
 * by up to 2 levels on a fraction of a percent of the values:
 * <ul>
 *   <li>weights are computed in double, then stored as <em>int16</em> with a precision chosen per
 *       axis: the most fractional bits (at most 22) that keep the largest weight below 2^15, so
 *       typically 14 to 16 bits where Pillow always keeps 22;</li>
 *   <li>sums start at one half, are shifted back and saturated to 0..255, as in Pillow;</li>
 *   <li>the cubic kernel is written {@code ((a x - 5a) x + 8a) x - 4a} with {@code a = -0.5} (the
 *       antialiased path's Keys constant, not the -0.75 of torch's plain bicubic).</li>
 * </ul>
 * On GPU, or on CPUs without AVX2 for BILINEAR, torch instead resizes in float32 and rounds at the
 * end; that path is not reproduced (HF's processors run on CPU unless a device is passed).
 * LANCZOS is not available for tensors: HF's torchvision backend substitutes BICUBIC with a warning,
 * and so does {@link #resize}. BOX and HAMMING are refused. NEAREST follows torch's legacy
 * {@code nearest} mode ({@code floor(i * in / out)} in float32).
 *
 * <pre>{@code
 * RgbImage r = TorchvisionResampler.resize(img, 505, 336, Resampling.BICUBIC);
 * }</pre>
 */
public final class TorchvisionResampler {
    private TorchvisionResampler() {
    }

    /**
     * Resizes as {@code tvF.resize(uint8_chw, [height, width], interpolation, antialias=True)}.
     *
     * @param image the source
     * @param width output width, at least 1
     * @param height output height, at least 1
     * @param filter NEAREST, BILINEAR or BICUBIC (LANCZOS is replaced by BICUBIC, as HF does)
     * @return a new image (or a copy when the size is unchanged)
     * @throws IllegalArgumentException for BOX or HAMMING, which torch tensors do not support
     */
    public static RgbImage resize(RgbImage image, int width, int height, Resampling filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("height and width must be > 0, got " + width + "x" + height);
        }
        if (filter == Resampling.BOX || filter == Resampling.HAMMING) {
            throw new IllegalArgumentException("the torchvision backend cannot resize tensors with " + filter
                    + "; use the PIL backend");
        }
        if (filter == Resampling.LANCZOS) {
            filter = Resampling.BICUBIC;
        }
        if (image.width() == width && image.height() == height) {
            return new RgbImage(width, height, image.hwc().clone());
        }
        if (filter == Resampling.NEAREST) {
            return nearest(image, width, height);
        }
        int taps = filter == Resampling.BILINEAR ? 2 : 4;
        return resizeFixed(image, width, height, filter, taps);
    }

    /** Torch's antialias filters, written with torch's expressions. */
    private static double filter(Resampling f, double x) {
        if (f == Resampling.BILINEAR) {
            double ax = x < 0.0 ? -x : x;
            return ax < 1.0 ? 1.0 - ax : 0.0;
        }
        final double a = -0.5;
        double ax = Math.abs(x);
        if (ax < 1.0) {
            return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
        } else if (ax < 2.0) {
            return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
        }
        return 0.0;
    }

    /** int16 weights of one axis: taps {@code start[i] .. start[i] + count[i]}, {@code ksize} per row. */
    private static final class FixedAxis {
        int ksize;
        int precision;
        int[] start;
        int[] count;
        short[] weights;
    }

    /** {@code _compute_indices_int16_weights_aa} for align_corners=False, antialias=True. */
    private static FixedAxis fixedAxis(int inSize, int outSize, Resampling f, int taps) {
        double scale = (double) inSize / outSize;
        double support = scale >= 1.0 ? (taps * 0.5) * scale : taps * 0.5;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
        double[] w = new double[outSize * ksize];
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        for (int i = 0; i < outSize; i++) {
            double center = scale * (i + 0.5);
            int xmin = Math.max((int) (long) (center - support + 0.5), 0);
            int xsize = (int) Math.min((long) (center + support + 0.5), inSize) - xmin;
            double total = 0.0;
            for (int j = 0; j < xsize; j++) {
                double v = filter(f, (j + xmin - center + 0.5) * invscale);
                w[i * ksize + j] = v;
                total += v;
            }
            for (int j = 0; j < xsize; j++) {
                if (total != 0.0) {
                    w[i * ksize + j] /= total;
                }
            }
            start[i] = xmin;
            count[i] = xsize;
        }
        double wMax = w[0];
        for (double v : w) {
            if (wMax < v) {
                wMax = v;
            }
        }
        int precision;
        for (precision = 0; precision < 22; precision++) {
            int next = (int) (0.5 + wMax * (1 << (precision + 1)));
            if (next >= (1 << 15)) {
                break;
            }
        }
        short[] k = new short[w.length];
        for (int i = 0; i < w.length; i++) {
            double v = w[i];
            k[i] = (short) (v < 0 ? (int) (-0.5 + v * (1 << precision)) : (int) (0.5 + v * (1 << precision)));
        }
        FixedAxis axis = new FixedAxis();
        axis.ksize = ksize;
        axis.precision = precision;
        axis.start = start;
        axis.count = count;
        axis.weights = k;
        return axis;
    }

    private static int saturate(int s, int precision) {
        int v = s >> precision;
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }

    private static RgbImage resizeFixed(RgbImage image, int width, int height, Resampling f, int taps) {
        int inW = image.width();
        int inH = image.height();
        byte[] cur = image.hwc();
        int curW = inW;
        if (width != inW) {
            FixedAxis ax = fixedAxis(inW, width, f, taps);
            byte[] out = new byte[inH * width * 3];
            int half = 1 << (ax.precision - 1);
            for (int y = 0; y < inH; y++) {
                int inRow = y * inW * 3;
                for (int x = 0; x < width; x++) {
                    int kb = x * ax.ksize;
                    int s0 = half;
                    int s1 = half;
                    int s2 = half;
                    for (int j = 0; j < ax.count[x]; j++) {
                        int p = inRow + (ax.start[x] + j) * 3;
                        int w = ax.weights[kb + j];
                        s0 += (cur[p] & 0xFF) * w;
                        s1 += (cur[p + 1] & 0xFF) * w;
                        s2 += (cur[p + 2] & 0xFF) * w;
                    }
                    int o = (y * width + x) * 3;
                    out[o] = (byte) saturate(s0, ax.precision);
                    out[o + 1] = (byte) saturate(s1, ax.precision);
                    out[o + 2] = (byte) saturate(s2, ax.precision);
                }
            }
            cur = out;
            curW = width;
        }
        if (height != inH) {
            FixedAxis ay = fixedAxis(inH, height, f, taps);
            int stride = curW * 3;
            byte[] out = new byte[height * stride];
            int half = 1 << (ay.precision - 1);
            for (int y = 0; y < height; y++) {
                int kb = y * ay.ksize;
                for (int i = 0; i < stride; i++) {
                    int s = half;
                    int p = ay.start[y] * stride + i;
                    for (int j = 0; j < ay.count[y]; j++, p += stride) {
                        s += (cur[p] & 0xFF) * ay.weights[kb + j];
                    }
                    out[y * stride + i] = (byte) saturate(s, ay.precision);
                }
            }
            cur = out;
        }
        return new RgbImage(width, height, cur == image.hwc() ? cur.clone() : cur);
    }

    /** Torch's legacy "nearest": {@code min(floor(i * (float) in / out), in - 1)}. */
    private static RgbImage nearest(RgbImage image, int width, int height) {
        int inW = image.width();
        int inH = image.height();
        int[] xs = nearestIndex(inW, width);
        int[] ys = nearestIndex(inH, height);
        byte[] in = image.hwc();
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(in, (ys[y] * inW + xs[x]) * 3, out, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int[] nearestIndex(int in, int out) {
        int[] idx = new int[out];
        float scale = (float) in / out;
        for (int i = 0; i < out; i++) {
            if (out == in) {
                idx[i] = i;
            } else if (out == 2 * in) {
                idx[i] = i >> 1;
            } else {
                idx[i] = Math.min((int) Math.floor(i * scale), in - 1);
            }
        }
        return idx;
    }
}
