package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentlens.TestFixtures;
import org.latentlens.kernel.VectorSupport;

/**
 * The two ways a block's projections run, the packed Java kernel (the CPU default) and libtorch's
 * {@code linear} ({@code -Dlatentlens.gemm=torch}, GPUs, small heaps), give the same hidden states.
 */
class ProjectionTest {
    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "gemma2", "gpt2", "bert", "phi3"})
    void packedAndEngineProjectionsAgree(String name) {
        assertTrue(VectorSupport.AVAILABLE, "the test runner adds jdk.incubator.vector");
        assertTrue(Projection.packedFor(Device.cpu(), 96, 64));
        TokenBatch batch = new TokenBatch(new long[][] {{5, 9, 2, 7, 11, 3, 8}, {4, 1, 6, 0, 0, 0, 0}},
                new long[][] {{1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0, 0}}, null);
        HiddenStates packed;
        int d;
        try (Model m = ModelLoader.load(TestFixtures.tinyModel(name), LoadOptions.defaults())) {
            packed = m.hiddenStates(batch);
            d = m.hiddenSize();
        }
        HiddenStates engine;
        System.setProperty("latentlens.gemm", "torch");
        try (Model m = ModelLoader.load(TestFixtures.tinyModel(name), LoadOptions.defaults())) {
            assertFalse(Projection.packedFor(Device.cpu(), 96, 64));
            engine = m.hiddenStates(batch);
        } finally {
            System.clearProperty("latentlens.gemm");
        }
        for (int s = 0; s < packed.numStates(); s++) {
            float[] a = packed.state(s);
            float[] b = engine.state(s);
            double max = 0;
            for (int i = 0; i < a.length; i++) {
                int row = i / (7 * d);
                int col = (i / d) % 7;
                if (batch.attentionMask()[row][col] != 0) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
            }
            assertEquals(0, max, 1e-4, name + " hidden_states." + s);
        }
    }
}
