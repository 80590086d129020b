package org.latentlens.model;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of token-id sequences as a model consumes them: {@code inputIds} and {@code attentionMask}
 * of shape [B, L], and for encoders with segment embeddings optionally {@code tokenTypeIds}.
 *
 * <p>Position ids follow HuggingFace's default: a token's position is its column index. Right padding
 * (real tokens first, then padding) therefore gives every sequence the positions it would have alone;
 * with left padding the results are what HuggingFace computes for the same tensors. Padded positions
 * never change real ones, and they are never computed at all.
 *
 * @param inputIds token ids, [B][L]; every row has the same length
 * @param attentionMask 1 for a real token, 0 for padding, [B][L]
 * @param tokenTypeIds segment ids [B][L], or {@code null} for all zeros
 */
public record TokenBatch(long[][] inputIds, long[][] attentionMask, long[][] tokenTypeIds) {

    /**
     * Validates the shapes.
     *
     * @throws IllegalArgumentException naming the offending tensor, row and shape
     */
    public TokenBatch {
        if (inputIds == null || inputIds.length == 0) {
            throw new IllegalArgumentException("input_ids is empty: a batch needs at least one sequence");
        }
        int len = inputIds[0].length;
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b].length != len) {
                throw new IllegalArgumentException("input_ids row " + b + " has length " + inputIds[b].length
                        + " but row 0 has " + len + ": pad the rows to one length, or use TokenBatch.of(...)");
            }
        }
        if (len == 0) {
            throw new IllegalArgumentException("input_ids has shape [" + inputIds.length + ", 0]: every sequence is empty");
        }
        if (attentionMask == null) {
            attentionMask = new long[inputIds.length][len];
            for (long[] row : attentionMask) {
                Arrays.fill(row, 1L);
            }
        }
        checkShape("attention_mask", attentionMask, inputIds.length, len);
        if (tokenTypeIds != null) {
            checkShape("token_type_ids", tokenTypeIds, inputIds.length, len);
        }
        for (int b = 0; b < attentionMask.length; b++) {
            boolean any = false;
            for (long m : attentionMask[b]) {
                if (m != 0 && m != 1) {
                    throw new IllegalArgumentException("attention_mask row " + b + " holds " + m + "; only 0 and 1 are allowed");
                }
                any |= m == 1;
            }
            if (!any) {
                throw new IllegalArgumentException("attention_mask row " + b + " has no real token (all zeros)");
            }
        }
    }

    private static void checkShape(String what, long[][] t, int rows, int cols) {
        if (t.length != rows) {
            throw new IllegalArgumentException(what + " has " + t.length + " rows but input_ids has shape ["
                    + rows + ", " + cols + "]");
        }
        for (int b = 0; b < t.length; b++) {
            if (t[b].length != cols) {
                throw new IllegalArgumentException(what + " row " + b + " has length " + t[b].length
                        + " but input_ids has shape [" + rows + ", " + cols + "]");
            }
        }
    }

    /**
     * Builds a right-padded batch from sequences of any lengths.
     *
     * @param sequences the token ids of each sequence, none empty
     * @param padId the id written into padded slots (masked out, so its value does not matter)
     * @return the batch
     */
    public static TokenBatch of(List<long[]> sequences, long padId) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences given: a batch needs at least one");
        }
        int len = 0;
        for (int i = 0; i < sequences.size(); i++) {
            if (sequences.get(i).length == 0) {
                throw new IllegalArgumentException("sequence " + i + " is empty");
            }
            len = Math.max(len, sequences.get(i).length);
        }
        long[][] ids = new long[sequences.size()][len];
        long[][] mask = new long[sequences.size()][len];
        for (int b = 0; b < ids.length; b++) {
            long[] s = sequences.get(b);
            Arrays.fill(ids[b], padId);
            System.arraycopy(s, 0, ids[b], 0, s.length);
            Arrays.fill(mask[b], 0, s.length, 1L);
        }
        return new TokenBatch(ids, mask, null);
    }

    /**
     * @param ids one sequence of token ids
     * @return a batch of that single sequence
     */
    public static TokenBatch of(long... ids) {
        return of(List.of(ids), 0);
    }

    /** @return B, the number of sequences */
    public int batchSize() {
        return inputIds.length;
    }

    /** @return L, the padded length */
    public int seqLen() {
        return inputIds[0].length;
    }

    /** @return the number of real (unmasked) tokens in the whole batch */
    public int realTokens() {
        int n = 0;
        for (long[] row : attentionMask) {
            for (long m : row) {
                n += (int) m;
            }
        }
        return n;
    }
}
