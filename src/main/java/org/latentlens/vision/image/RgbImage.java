package org.latentlens.vision.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image held in memory: height x width pixels, three interleaved channels, row-major
 * (the layout of {@code numpy.asarray(PIL.Image.convert("RGB"))}, "HWC uint8").
 *
 * <p>Every step of the image processors works on this type until the final float conversion, so
 * that each step can be compared to HuggingFace's uint8 intermediates exactly.
 *
 * <pre>{@code
 * RgbImage img = ImageLoader.read(Path.of("cat.png"));
 * int red = img.get(10, 20, 0);          // row 10, column 20, channel R
 * RgbImage square = img.crop(0, 75, 300, 300);
 * }</pre>
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] data;

    /**
     * Wraps interleaved RGB bytes (not copied).
     *
     * @param width width in pixels, at least 1
     * @param height height in pixels, at least 1
     * @param hwc {@code height * width * 3} bytes, row-major, channels R, G, B interleaved
     * @throws IllegalArgumentException if the sizes do not agree
     */
    public RgbImage(int width, int height, byte[] hwc) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1x1, got " + width + "x" + height);
        }
        if ((long) width * height * 3 != hwc.length) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs "
                    + ((long) width * height * 3) + " bytes, got " + hwc.length);
        }
        this.width = width;
        this.height = height;
        this.data = hwc;
    }

    /**
     * Builds an image from planar channel-first bytes ({@code [3, H, W]}, as HF's CHW uint8 tensors).
     *
     * @param width width in pixels
     * @param height height in pixels
     * @param chw {@code 3 * height * width} bytes, channel-major
     * @return the image, in interleaved layout
     */
    public static RgbImage fromChw(int width, int height, byte[] chw) {
        int plane = width * height;
        if (chw.length != plane * 3) {
            throw new IllegalArgumentException("a CHW image of 3x" + height + "x" + width + " needs "
                    + (plane * 3) + " bytes, got " + chw.length);
        }
        byte[] hwc = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            hwc[i * 3] = chw[i];
            hwc[i * 3 + 1] = chw[plane + i];
            hwc[i * 3 + 2] = chw[2 * plane + i];
        }
        return new RgbImage(width, height, hwc);
    }

    /** @return the width in pixels */
    public int width() {
        return width;
    }

    /** @return the height in pixels */
    public int height() {
        return height;
    }

    /**
     * The backing bytes, shared with this image: callers must not modify them.
     *
     * @return {@code height * width * 3} bytes, row-major, interleaved RGB
     */
    public byte[] hwc() {
        return data;
    }

    /**
     * One sample.
     *
     * @param y row, 0 at the top
     * @param x column, 0 at the left
     * @param c channel: 0 = R, 1 = G, 2 = B
     * @return the value, 0..255
     */
    public int get(int y, int x, int c) {
        return data[(y * width + x) * 3 + c] & 0xFF;
    }

    /**
     * The samples in channel-first order ({@code [3, H, W]}), as HF's torch/numpy CHW arrays.
     *
     * @return a new array of {@code 3 * height * width} bytes
     */
    public byte[] toChw() {
        int plane = width * height;
        byte[] chw = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            chw[i] = data[i * 3];
            chw[plane + i] = data[i * 3 + 1];
            chw[2 * plane + i] = data[i * 3 + 2];
        }
        return chw;
    }

    /**
     * A rectangle of this image, as {@code PIL.Image.crop((left, top, left + w, top + h))} when the
     * rectangle lies inside the image.
     *
     * @param top first row
     * @param left first column
     * @param cropHeight rows to keep, at least 1
     * @param cropWidth columns to keep, at least 1
     * @return a new image
     * @throws IllegalArgumentException if the rectangle leaves the image
     */
    public RgbImage crop(int top, int left, int cropHeight, int cropWidth) {
        if (top < 0 || left < 0 || cropHeight < 1 || cropWidth < 1
                || top + cropHeight > height || left + cropWidth > width) {
            throw new IllegalArgumentException("crop (top " + top + ", left " + left + ", " + cropWidth + "x"
                    + cropHeight + ") does not fit in a " + width + "x" + height + " image");
        }
        byte[] out = new byte[cropHeight * cropWidth * 3];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(data, ((top + y) * width + left) * 3, out, y * cropWidth * 3, cropWidth * 3);
        }
        return new RgbImage(cropWidth, cropHeight, out);
    }

    /**
     * Places this image on a black canvas at an offset (the zero padding HF's centre crop adds when the
     * crop is larger than the image).
     *
     * @param canvasHeight canvas rows
     * @param canvasWidth canvas columns
     * @param top row of this image's first row on the canvas
     * @param left column of this image's first column on the canvas
     * @return a new image
     */
    public RgbImage padTo(int canvasHeight, int canvasWidth, int top, int left) {
        if (top < 0 || left < 0 || top + height > canvasHeight || left + width > canvasWidth) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image at (top " + top + ", left "
                    + left + ") does not fit on a " + canvasWidth + "x" + canvasHeight + " canvas");
        }
        byte[] out = new byte[canvasHeight * canvasWidth * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, y * width * 3, out, ((top + y) * canvasWidth + left) * 3, width * 3);
        }
        return new RgbImage(canvasWidth, canvasHeight, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
