package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** get_rope_index on hand-made prompts: text, one image, left padding, 4.x vs 5.x rules, bad runs. */
class RopeIndexTest {
    private static final long IMG = 8;
    private static final long START = 5;

    @Test
    void imageTakesGridPositionsAndTextContinuesAfterItsLargest() {
        // pad, text, <vision_start>, 2x3 merged image (grid 1x4x6 before the 2x2 merge), text
        long[][] ids = {{0, 1, START, IMG, IMG, IMG, IMG, IMG, IMG, 2, 3}};
        long[][] mask = {{0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}};
        long[][] grids = {{1, 4, 6}};
        long[][][] p = RopeIndex.compute(ids, mask, null, grids, 2, IMG, START, RopeIndex.Semantics.V5);
        assertArrayEquals(new long[] {0, 0, 1, 2, 2, 2, 2, 2, 2, 5, 6}, p[0][0]);
        assertArrayEquals(new long[] {0, 0, 1, 2, 2, 2, 3, 3, 3, 5, 6}, p[1][0]);
        assertArrayEquals(new long[] {0, 0, 1, 2, 3, 4, 2, 3, 4, 5, 6}, p[2][0]);
        long[][][] p4 = RopeIndex.compute(ids, mask, null, grids, 2, IMG, START, RopeIndex.Semantics.V4);
        assertArrayEquals(p[1][0], p4[1][0]);
    }

    @Test
    void withoutVisionStartTheFourXRulesSeeOnlyText() {
        long[][] ids = {{IMG, IMG, IMG, IMG, IMG, IMG, 2}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1}};
        long[][] grids = {{1, 4, 6}};
        long[][][] p4 = RopeIndex.compute(ids, mask, null, grids, 2, IMG, START, RopeIndex.Semantics.V4);
        for (int a = 0; a < 3; a++) {
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6}, p4[a][0]);
        }
        long[][][] p5 = RopeIndex.compute(ids, mask, null, grids, 2, IMG, START, RopeIndex.Semantics.V5);
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 1, 3}, p5[1][0]); // text resumes after the largest (width) position 2
    }

    @Test
    void runsAndGridsMustAgree() {
        long[][] ids = {{IMG, IMG, IMG, 2, 2, 2, 2}};
        long[][] mask = {{1, 1, 1, 1, 1, 1, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                RopeIndex.compute(ids, mask, null, new long[][] {{1, 4, 6}}, 2, IMG, START, RopeIndex.Semantics.V5));
        assertTrue(e.getMessage().contains("consecutive image tokens"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                RopeIndex.compute(ids, mask, null, new long[][] {{1, 2, 6}, {1, 2, 2}}, 2, IMG, START, RopeIndex.Semantics.V5));
        assertTrue(e.getMessage().contains("image_grid_thw describes 2"), e.getMessage());
    }
}
