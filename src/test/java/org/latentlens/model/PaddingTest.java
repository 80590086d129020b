package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentlens.TestFixtures;

/**
 * Padding never changes real positions: a sequence alone, right-padded in a batch with a longer one, or
 * (for rotary models, whose attention depends only on relative positions) left-padded, gives the same
 * hidden states and logits.
 */
class PaddingTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma2", "mistral", "olmo2", "gpt2", "bert"})
    void paddingDoesNotChangeRealPositions(String name) {
        long[] shortSeq = {11, 22, 33, 44, 55};
        long[] longSeq = {7, 8, 9, 10, 11, 12, 13, 14, 15};
        try (Model m = ModelLoader.load(TestFixtures.tinyModel(name), LoadOptions.defaults())) {
            ForwardOptions opts = ForwardOptions.builder().optLogits(m.hasLmHead()).build();
            HiddenStates alone = m.hiddenStates(TokenBatch.of(shortSeq), opts);
            HiddenStates right = m.hiddenStates(TokenBatch.of(List.of(longSeq, shortSeq), 0), opts);
            compare(m, alone, 0, 0, right, 1, 0, shortSeq.length);
            boolean rotary = m instanceof TransformerModel tm && tm.blueprint().ropePerLayer() != null;
            if (rotary) {
                int pad = longSeq.length - shortSeq.length;
                long[][] ids = new long[2][longSeq.length];
                long[][] mask = new long[2][longSeq.length];
                ids[0] = longSeq.clone();
                java.util.Arrays.fill(mask[0], 1);
                for (int i = 0; i < shortSeq.length; i++) {
                    ids[1][pad + i] = shortSeq[i];
                    mask[1][pad + i] = 1;
                }
                HiddenStates left = m.hiddenStates(new TokenBatch(ids, mask, null), opts);
                compare(m, alone, 0, 0, left, 1, pad, shortSeq.length);
            }
        }
    }

    private static void compare(Model m, HiddenStates a, int rowA, int offA, HiddenStates b, int rowB, int offB, int n) {
        int d = m.hiddenSize();
        for (int s = 0; s <= m.numLayers(); s++) {
            double max = 0;
            for (int p = 0; p < n; p++) {
                float[] va = a.vector(s, rowA, offA + p);
                float[] vb = b.vector(s, rowB, offB + p);
                for (int j = 0; j < d; j++) {
                    max = Math.max(max, Math.abs(va[j] - vb[j]));
                }
            }
            assertTrue(max < 2e-5, m.modelType() + " state " + s + " differs by " + max);
        }
    }
}
