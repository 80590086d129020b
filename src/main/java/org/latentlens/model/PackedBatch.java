package org.latentlens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * The real tokens of a batch packed into one [T, D] matrix, so padding is never computed by the
 * projections and MLPs (the bulk of the work), plus what attention needs to lay them out again as
 * [B, Lmax] with masks.
 *
 * <p>Packed row t holds the t-th real token in row-major order. Row b's real tokens occupy slots
 * 0..len_b-1 of its attention row, in column order. Masks are computed from the original columns, so
 * any attention mask (right padding, left padding, holes) gives HuggingFace's result.
 */
final class PackedBatch {
    final int batch;
    final int seqLen;
    final int tokens;
    final int maxLen;
    final int[] lengths;
    /** For each packed row: its batch row and its column. */
    final int[] rowOf;
    final int[] colOf;
    /** For each slot b*maxLen+s: the packed row, or -1 for padding. */
    final int[] packedOfSlot;
    private final boolean dense;
    private final NDManager manager;
    private NDArray gather;
    private NDArray scatter;
    private final Map<String, NDArray> masks = new HashMap<>();

    PackedBatch(TokenBatch input, NDManager manager) {
        this.manager = manager;
        long[][] mask = input.attentionMask();
        batch = input.batchSize();
        seqLen = input.seqLen();
        lengths = new int[batch];
        int t = 0;
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < seqLen; c++) {
                lengths[b] += (int) mask[b][c];
            }
            t += lengths[b];
        }
        tokens = t;
        int ml = 0;
        for (int len : lengths) {
            ml = Math.max(ml, len);
        }
        maxLen = ml;
        rowOf = new int[tokens];
        colOf = new int[tokens];
        packedOfSlot = new int[batch * maxLen];
        java.util.Arrays.fill(packedOfSlot, -1);
        int p = 0;
        for (int b = 0; b < batch; b++) {
            int s = 0;
            for (int c = 0; c < seqLen; c++) {
                if (mask[b][c] == 1) {
                    rowOf[p] = b;
                    colOf[p] = c;
                    packedOfSlot[b * maxLen + s] = p;
                    s++;
                    p++;
                }
            }
        }
        dense = tokens == batch * maxLen;
    }

    /**
     * @param packed [T, ...] rows in packed order
     * @return [B, Lmax, ...] with padding slots filled from row 0 (they are masked out)
     */
    NDArray toPadded(NDArray packed) {
        Shape s = packed.getShape();
        long[] dims = new long[s.dimension() + 1];
        dims[0] = batch;
        dims[1] = maxLen;
        for (int i = 1; i < s.dimension(); i++) {
            dims[i + 1] = s.get(i);
        }
        if (dense) {
            return packed.reshape(new Shape(dims));
        }
        if (gather == null) {
            long[] idx = new long[batch * maxLen];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = Math.max(0, packedOfSlot[i]);
            }
            gather = manager.create(idx);
        }
        return packed.get(gather).reshape(new Shape(dims));
    }

    /**
     * @param padded [B, Lmax, ...]
     * @return [T, ...] in packed order
     */
    NDArray toPacked(NDArray padded) {
        Shape s = padded.getShape();
        long[] dims = new long[s.dimension() - 1];
        dims[0] = (long) batch * maxLen;
        for (int i = 2; i < s.dimension(); i++) {
            dims[i - 1] = s.get(i);
        }
        NDArray flat = padded.reshape(new Shape(dims));
        if (dense) {
            return flat;
        }
        if (scatter == null) {
            long[] idx = new long[tokens];
            for (int i = 0; i < batch * maxLen; i++) {
                if (packedOfSlot[i] >= 0) {
                    idx[packedOfSlot[i]] = i;
                }
            }
            scatter = manager.create(idx);
        }
        return flat.get(scatter);
    }

    /**
     * The additive attention mask [B, 1, Lmax, Lmax]: 0 where query slot i may see key slot j, the most
     * negative float elsewhere (not -inf, so fully masked padding rows stay finite, as in HuggingFace).
     *
     * @param causal whether key columns after the query's column are hidden
     * @param window sliding window W (keys with column &le; query column - W are hidden), 0 for none
     * @return the mask, or null when nothing is masked
     */
    NDArray mask(boolean causal, int window) {
        String key = causal + "/" + window;
        if (masks.containsKey(key)) {
            return masks.get(key);
        }
        boolean any = !dense;
        float[] m = new float[batch * maxLen * maxLen];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < maxLen; i++) {
                int pi = packedOfSlot[b * maxLen + i];
                for (int j = 0; j < maxLen; j++) {
                    int pj = packedOfSlot[b * maxLen + j];
                    boolean allowed;
                    if (pi < 0) {
                        allowed = pj >= 0; // padding query: any finite row, its output is discarded
                    } else if (pj < 0) {
                        allowed = false;
                    } else {
                        int qc = colOf[pi];
                        int kc = colOf[pj];
                        allowed = (!causal || kc <= qc) && (window <= 0 || qc - kc < window);
                    }
                    if (!allowed) {
                        m[(b * maxLen + i) * maxLen + j] = -Float.MAX_VALUE;
                        any = true;
                    }
                }
            }
        }
        NDArray arr = any ? manager.create(m, new Shape(batch, 1, maxLen, maxLen)) : null;
        masks.put(key, arr);
        return arr;
    }
}
