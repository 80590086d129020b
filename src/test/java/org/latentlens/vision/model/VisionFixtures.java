package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.latentlens.TestFixtures;

/** Fixture locations and the 1e-4 comparison of the vision parity tests. */
final class VisionFixtures {
    static final double TOLERANCE = 1e-4;

    private VisionFixtures() {
    }

    /** @return a folder under {@code fixtures/hf-tiny-vision} */
    static Path folder(String name) {
        return TestFixtures.resource("fixtures/hf-tiny-vision/" + name);
    }

    /** Max |diff| over every value; fails above the tolerance. */
    static void assertClose(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what + " size");
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(want[i] - got[i]);
            if (!(diff <= max)) {
                max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
            }
        }
        assertTrue(max <= TOLERANCE, what + ": max |diff| " + max + " > " + TOLERANCE);
    }

    /** Max |diff| over the rows [B, L, width] whose mask is 1. */
    static void assertCloseMasked(String what, float[] want, float[] got, long[][] mask, int width) {
        org.latentlens.TestFixtures.assertCloseAtRealPositions(what, want, got, mask, width, TOLERANCE);
    }

    static long[][] reshape(long[] flat, int b, int len) {
        return org.latentlens.TestFixtures.reshape(flat, b, len);
    }
}
