package org.latentlens.vision.image;

/** Small synthetic images for tests. */
final class ResamplerTestImages {
    private ResamplerTestImages() {
    }

    /** R = column * 7, G = row * 11, B = 100 + column + row (all mod 256). */
    static RgbImage ramp(int width, int height) {
        byte[] b = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int o = (y * width + x) * 3;
                b[o] = (byte) (x * 7);
                b[o + 1] = (byte) (y * 11);
                b[o + 2] = (byte) (100 + x + y);
            }
        }
        return new RgbImage(width, height, b);
    }
}
