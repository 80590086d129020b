package org.latentlens.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Packed products equal a double-precision reference on shapes that exercise every edge: rows that do not
 * fill the last panel, inputs that do not fill the last tile, depths over one pass, biases, and a shorter
 * input after a longer one (the reused packed input must not leak the longer input's rows).
 */
class PackedMatrixTest {
    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static void check(PackedMatrix m, float[] w, float[] x, int t, float[] bias) {
        int rows = m.rows();
        int cols = m.cols();
        FloatBuffer y = FloatBuffer.allocate(t * rows + 3);
        m.multiply(FloatBuffer.wrap(x), t, bias, y);
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < rows; j++) {
                double want = bias == null ? 0 : bias[j];
                for (int k = 0; k < cols; k++) {
                    want += (double) x[i * cols + k] * w[j * cols + k];
                }
                assertEquals(want, y.get(i * rows + j), 1e-4 * Math.sqrt(cols), "y[" + i + "][" + j + "] of " + t + "x" + cols
                        + " times " + rows + "x" + cols);
            }
        }
    }

    @Test
    void matchesTheReferenceOnEdgeShapes() {
        SplittableRandom rng = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {13, 50, 37}, {8, 96, 512}, {21, 101, 1100}, {3, 7, 513}};
        for (int[] s : shapes) {
            int t = s[0];
            int rows = s[1];
            int cols = s[2];
            float[] w = random(rng, rows * cols);
            PackedMatrix m = new PackedMatrix(rows, cols);
            // fill in two uneven parts, as stacked q|k|v are
            int first = rows / 3;
            m.setRows(0, w, 0, first);
            m.setRows(first, FloatBuffer.wrap(w, first * cols, (rows - first) * cols).slice(), rows - first);
            float[] x = random(rng, t * cols);
            check(m, w, x, t, null);
            check(m, w, x, t, random(rng, rows));
            if (t > 2) {
                check(m, w, x, t - 2, null); // shorter input after a longer one on the same thread
            }
        }
    }

    @Test
    void refusesInputsThatDoNotFit() {
        PackedMatrix m = new PackedMatrix(4, 3);
        assertThrows(IllegalArgumentException.class, () -> m.multiply(FloatBuffer.allocate(5), 2, null, FloatBuffer.allocate(8)));
        assertThrows(IllegalArgumentException.class, () -> m.multiply(FloatBuffer.allocate(6), 2, new float[3], FloatBuffer.allocate(8)));
        assertThrows(IndexOutOfBoundsException.class, () -> m.setRows(3, new float[6], 0, 2));
    }
}
