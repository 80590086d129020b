package org.latentlens.vision.image;

/**
 * The resampling filters of PIL, with the integer codes that {@code preprocessor_config.json} stores
 * in {@code "resample"} ({@code PIL.Image.Resampling}: NEAREST 0, LANCZOS 1, BILINEAR 2, BICUBIC 3,
 * BOX 4, HAMMING 5).
 *
 * <p>Each filter is a kernel {@code k(x)} with a support radius; {@link PilResampler} scales the
 * support by the downscale factor (antialiasing) exactly as Pillow's {@code ImagingResample} does.
 * BICUBIC is the Keys cubic with {@code a = -0.5} and LANCZOS is the 3-lobe windowed sinc.
 */
public enum Resampling {
    /** Nearest neighbour (code 0): no kernel, a point sample. */
    NEAREST(0, 0.0),
    /** Lanczos, a = 3 (code 1). */
    LANCZOS(1, 3.0),
    /** Triangle / bilinear (code 2). */
    BILINEAR(2, 1.0),
    /** Keys bicubic, a = -0.5 (code 3). */
    BICUBIC(3, 2.0),
    /** Box (code 4). */
    BOX(4, 0.5),
    /** Hamming-windowed sinc (code 5). */
    HAMMING(5, 1.0);

    // Pillow writes the Hamming window constants as C float literals (0.54f, 0.46f); the widened
    // float values, not the decimal ones, are what it computes with.
    private static final double HAMMING_A = 0.54f;
    private static final double HAMMING_B = 0.46f;

    private final int pilCode;
    private final double support;

    Resampling(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** @return the {@code PIL.Image.Resampling} integer code */
    public int pilCode() {
        return pilCode;
    }

    /** @return the kernel's support radius at scale 1 (0 for NEAREST) */
    public double support() {
        return support;
    }

    /**
     * The filter for a PIL integer code, as found in {@code preprocessor_config.json}.
     *
     * @param code 0..5
     * @return the filter
     * @throws IllegalArgumentException for any other code, naming it and the valid ones
     */
    public static Resampling fromPilCode(int code) {
        for (Resampling r : values()) {
            if (r.pilCode == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown resample code " + code
                + " (PIL codes: 0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING)");
    }

    /**
     * The kernel value at distance {@code x} (in input pixels at scale 1), evaluated in double
     * precision with the same expressions as Pillow so the coefficients agree to the last bit.
     *
     * @param x signed distance
     * @return the unnormalised weight
     */
    public double kernel(double x) {
        switch (this) {
            case BOX:
                return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = x < 0.0 ? -x : x;
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = x < 0.0 ? -x : x;
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                ax = ax * Math.PI;
                return StrictMath.sin(ax) / ax * (HAMMING_A + HAMMING_B * StrictMath.cos(ax));
            }
            case BICUBIC: {
                final double a = -0.5;
                double ax = x < 0.0 ? -x : x;
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                if (-3.0 <= x && x < 3.0) {
                    return sinc(x) * sinc(x / 3);
                }
                return 0.0;
            default:
                throw new UnsupportedOperationException(this + " has no convolution kernel");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return StrictMath.sin(px) / px;
    }
}
