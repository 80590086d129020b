package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Visual tokens to grid cells: padding skipped, a kept CLS, a dropped first patch, images that do not fit. */
class ImageTokenMapTest {
    private static final long P = 9;

    @Test
    void mapsTokensInBatchOrderSkippingPadding() {
        long[][] ids = {{0, 0, 1, P, P, P, P, 2}, {1, P, P, P, P, P, P, 2}};
        long[][] mask = {{0, 0, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 1, 1, 1}};
        ImageTokenMap m = ImageTokenMap.fromPlaceholders(ids, mask, P, new int[] {4, 6}, new int[] {2, 2}, new int[] {2, 3}, 0);
        assertEquals(2, m.images().size());
        ImageTokenMap.Token t = m.at(0, 6);
        assertEquals(0, t.image());
        assertEquals(1, t.gridRow());
        assertEquals(1, t.gridCol());
        ImageTokenMap.Token u = m.at(1, 5);
        assertEquals(1, u.image());
        assertEquals(1, u.gridRow());
        assertEquals(1, u.gridCol());
        assertNull(m.at(1, 7));
    }

    @Test
    void keptClsHasNoCellAndADroppedPatchShiftsCells() {
        long[][] ids = {{P, P, P, P, P}};
        long[][] mask = {{1, 1, 1, 1, 1}};
        ImageTokenMap cls = ImageTokenMap.fromPlaceholders(ids, mask, P, new int[] {5}, new int[] {2}, new int[] {2}, 1);
        assertEquals(-1, cls.at(0, 0).gridRow());
        assertEquals(1, cls.at(0, 4).gridRow());
        long[][] ids3 = {{P, P, P}};
        long[][] mask3 = {{1, 1, 1}};
        ImageTokenMap dropped = ImageTokenMap.fromPlaceholders(ids3, mask3, P, new int[] {3}, new int[] {2}, new int[] {2}, -1);
        assertEquals(0, dropped.at(0, 0).gridRow());
        assertEquals(1, dropped.at(0, 0).gridCol());
    }

    @Test
    void anImageCannotStraddleRowsOrMissTokens() {
        long[][] ids = {{1, P, P}, {P, P, 2}};
        long[][] mask = {{1, 1, 1}, {1, 1, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ImageTokenMap.fromPlaceholders(ids, mask, P, new int[] {4}, new int[] {2}, new int[] {2}, 0));
        assertTrue(e.getMessage().contains("row 0 holds only 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () ->
                ImageTokenMap.fromPlaceholders(ids, mask, P, new int[] {4, 4}, new int[] {2, 2}, new int[] {2, 2}, 0));
        assertTrue(e.getMessage().contains("4 image placeholder") && e.getMessage().contains("8 visual tokens"), e.getMessage());
    }
}
