package org.latentlens.vision.model;

/**
 * PyTorch's {@code F.interpolate(mode="bicubic", align_corners=False, antialias=False)} on the CPU, in
 * float32 and in its order of operations (four horizontal 1-D interpolations, then one vertical), so a
 * position table resized here equals the one HuggingFace adds (DINOv2 at any input size).
 */
final class Bicubic {
    private static final float A = -0.75f;

    private Bicubic() {
    }

    /**
     * @param src [inH, inW, dim] row-major (a grid of vectors)
     * @return [outH, outW, dim]
     */
    static float[] resize(float[] src, int inH, int inW, int dim, int outH, int outW) {
        float[] out = new float[outH * outW * dim];
        float scaleH = (float) inH / outH;
        float scaleW = (float) inW / outW;
        for (int oy = 0; oy < outH; oy++) {
            float ry = scaleH * (oy + 0.5f) - 0.5f;
            int iy = (int) Math.floor(ry);
            float ty = ry - iy;
            float[] wy = weights(ty);
            for (int ox = 0; ox < outW; ox++) {
                float rx = scaleW * (ox + 0.5f) - 0.5f;
                int ix = (int) Math.floor(rx);
                float tx = rx - ix;
                float[] wx = weights(tx);
                for (int d = 0; d < dim; d++) {
                    float[] rows = new float[4];
                    for (int k = 0; k < 4; k++) {
                        int y = clamp(iy - 1 + k, inH);
                        float acc = 0;
                        acc = at(src, y, clamp(ix - 1, inW), inW, dim, d) * wx[0]
                                + at(src, y, clamp(ix, inW), inW, dim, d) * wx[1]
                                + at(src, y, clamp(ix + 1, inW), inW, dim, d) * wx[2]
                                + at(src, y, clamp(ix + 2, inW), inW, dim, d) * wx[3];
                        rows[k] = acc;
                    }
                    out[(oy * outW + ox) * dim + d] = rows[0] * wy[0] + rows[1] * wy[1] + rows[2] * wy[2] + rows[3] * wy[3];
                }
            }
        }
        return out;
    }

    private static float at(float[] src, int y, int x, int w, int dim, int d) {
        return src[(y * w + x) * dim + d];
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }

    /** Keys' cubic convolution weights for the four taps around a fractional offset t. */
    private static float[] weights(float t) {
        float x1 = t + 1f;
        float x2 = 1f - t;
        float x3 = 2f - t;
        return new float[] {far(x1), near(t), near(x2), far(x3)};
    }

    private static float near(float x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    private static float far(float x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
