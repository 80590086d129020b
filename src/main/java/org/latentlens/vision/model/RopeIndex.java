package org.latentlens.vision.model;

import java.util.Arrays;

/**
 * Qwen2-VL's 3-D (temporal, height, width) positions of every token: HuggingFace's
 * {@code get_rope_index} for images. Text tokens advance all three axes together; an image's merged
 * tokens take (t, row, column) of its merged grid offset by the position where the image starts, and the
 * text after it continues from the largest position used plus one.
 *
 * <p>transformers 5.x and 4.x find the images differently. 5.x ({@link Semantics#V5}, the default)
 * takes every run of image tokens ({@code mm_token_type_ids}, or the image token id when absent) as the
 * next image. 4.x ({@link Semantics#V4}) counts only images announced by {@code <|vision_start|>}
 * directly followed by an image token; a prompt without it (the original LatentLens quickstart) gets
 * plain text positions 0..L-1 everywhere.
 */
public final class RopeIndex {
    /** Which transformers version's rules to follow. */
    public enum Semantics {
        /** transformers 5.x: image runs found through mm_token_type_ids. */
        V5,
        /** transformers 4.x: images found after vision_start tokens. */
        V4
    }

    private RopeIndex() {
    }

    /**
     * @param ids input_ids [B][L]
     * @param mask attention_mask [B][L]
     * @param mmTypes mm_token_type_ids [B][L] (1 = image token), or null to use {@code imageToken}
     * @param grids image_grid_thw [images][3]
     * @param merge spatial merge size
     * @param imageToken image placeholder id
     * @param visionStart vision-start id (4.x semantics)
     * @param semantics the rules
     * @return position ids [3][B][L] (padding 0)
     * @throws IllegalArgumentException when image runs and grids disagree
     */
    public static long[][][] compute(long[][] ids, long[][] mask, long[][] mmTypes, long[][] grids, int merge,
                                     long imageToken, long visionStart, Semantics semantics) {
        int b = ids.length;
        int len = ids[0].length;
        long[][][] pos = new long[3][b][len];
        int image = 0;
        for (int r = 0; r < b; r++) {
            int[] cols = realColumns(mask[r]);
            int announced = Integer.MAX_VALUE;
            if (semantics == Semantics.V4) {
                announced = 0;
                for (int i = 0; i + 1 < cols.length; i++) {
                    if (ids[r][cols[i]] == visionStart && ids[r][cols[i + 1]] == imageToken) {
                        announced++;
                    }
                }
            }
            long next = 0;
            int i = 0;
            int taken = 0;
            while (i < cols.length) {
                int c = cols[i];
                boolean isImage = mmTypes != null && semantics == Semantics.V5 ? mmTypes[r][c] == 1 : ids[r][c] == imageToken;
                if (!isImage || taken >= announced) {
                    for (int a = 0; a < 3; a++) {
                        pos[a][r][c] = next;
                    }
                    next++;
                    i++;
                    continue;
                }
                if (image >= grids.length) {
                    throw new IllegalArgumentException("input_ids row " + r + " has more image token runs than the "
                            + grids.length + " image(s) of image_grid_thw");
                }
                long[] g = grids[image];
                int gt = (int) g[0];
                int gh = (int) g[1] / merge;
                int gw = (int) g[2] / merge;
                int n = gt * gh * gw;
                if (i + n > cols.length) {
                    throw new IllegalArgumentException("image " + image + " needs " + n + " image tokens (grid "
                            + Arrays.toString(g) + " merged " + merge + "x" + merge + ") but row " + r + " ends after "
                            + (cols.length - i));
                }
                long max = next;
                for (int k = 0; k < n; k++) {
                    int cc = cols[i + k];
                    if (semantics == Semantics.V5 && !(mmTypes != null ? mmTypes[r][cc] == 1 : ids[r][cc] == imageToken)) {
                        throw new IllegalArgumentException("image " + image + " needs " + n + " consecutive image tokens "
                                + "but row " + r + " has a text token at column " + cc + " after " + k);
                    }
                    long t = k / (gh * gw);
                    long y = (k % (gh * gw)) / gw;
                    long x = k % gw;
                    pos[0][r][cc] = next + t;
                    pos[1][r][cc] = next + y;
                    pos[2][r][cc] = next + x;
                    max = Math.max(max, Math.max(next + t, Math.max(next + y, next + x)));
                }
                next = max + 1;
                i += n;
                image++;
                taken++;
            }
        }
        if (image != grids.length && semantics == Semantics.V5) {
            throw new IllegalArgumentException("image_grid_thw describes " + grids.length + " image(s) but input_ids holds "
                    + image + " image token run(s)");
        }
        return pos;
    }

    private static int[] realColumns(long[] mask) {
        int n = 0;
        for (long m : mask) {
            n += (int) m;
        }
        int[] out = new int[n];
        int k = 0;
        for (int c = 0; c < mask.length; c++) {
            if (mask[c] == 1) {
                out[k++] = c;
            }
        }
        return out;
    }
}
