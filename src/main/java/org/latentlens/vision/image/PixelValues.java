package org.latentlens.vision.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The output of an image processor: float32 pixel values with their shape, and for Qwen2-VL-style
 * processors the patch grid of each image.
 *
 * <ul>
 *   <li>CLIP, SigLIP, DINOv2: shape {@code [N, 3, H, W]}, channel-first, {@code gridThw} empty.</li>
 *   <li>Qwen2-VL: shape {@code [sum of t*h*w over images, C * temporal_patch_size * patch^2]} (rows in
 *       HF's flattened patch order) and one {@code [t, h, w]} per image ({@code image_grid_thw}).</li>
 * </ul>
 *
 * @param data the values, row-major in {@code shape}
 * @param shape the dimensions
 * @param gridThw per image {@code {t, h, w}} in patches (empty when the processor has no patch grid)
 */
public record PixelValues(float[] data, long[] shape, List<int[]> gridThw) {
    /**
     * Checks that the data length matches the shape.
     *
     * @param data the values, row-major in {@code shape}
     * @param shape the dimensions
     * @param gridThw per image {@code {t, h, w}} in patches (copied)
     * @throws IllegalArgumentException if it does not
     */
    public PixelValues {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("pixel values of shape " + Arrays.toString(shape) + " need " + n
                    + " floats, got " + data.length);
        }
        gridThw = List.copyOf(gridThw);
    }

    /**
     * The {@code image_grid_thw} tensor as HF returns it ({@code int64 [images, 3]}), flattened.
     *
     * @return {@code t0, h0, w0, t1, h1, w1, ...}
     */
    public long[] gridThwFlat() {
        long[] out = new long[gridThw.size() * 3];
        for (int i = 0; i < gridThw.size(); i++) {
            for (int j = 0; j < 3; j++) {
                out[i * 3 + j] = gridThw.get(i)[j];
            }
        }
        return out;
    }

    /**
     * SHA-256 of the values as float32 little-endian bytes (how the fixtures pin whole tensors).
     *
     * @return lowercase hex digest
     */
    public String sha256() {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buf.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("PixelValues[shape=").append(Arrays.toString(shape));
        if (!gridThw.isEmpty()) {
            sb.append(", grid_thw=");
            for (int[] g : gridThw) {
                sb.append(Arrays.toString(g));
            }
        }
        return sb.append(']').toString();
    }
}
