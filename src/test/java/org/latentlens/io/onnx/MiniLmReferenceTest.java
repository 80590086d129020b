package org.latentlens.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the onnxruntime reference itself, and checks the imported weights against onnxruntime without our
 * BERT forward: the embedding layer recomputed in plain Java, and every imported Linear weight applied to the
 * very input onnxruntime fed its MatMul.
 */
class MiniLmReferenceTest {
    private static MiniLmReference.Output ref;

    @BeforeAll
    static void runReference() {
        ref = MiniLmReference.run(MiniLmReference.SENTENCES);
    }

    @Test
    void tokenizesLikeBertAndPadsOnTheRight() {
        // bert-base-uncased vocabulary: [CLS] the bank raised interest rates . [SEP]
        long[] bank = ref.inputIds()[1];
        assertArrayEquals(new long[] {101, 1996, 2924, 2992, 3037, 6165, 1012, 102},
                java.util.Arrays.copyOf(bank, 8));
        for (int b = 0; b < ref.inputIds().length; b++) {
            long[] ids = ref.inputIds()[b];
            int len = (int) java.util.Arrays.stream(ref.attentionMask()[b]).sum();
            assertEquals(101, ids[0]);
            assertEquals(102, ids[len - 1]);
            for (int t = len; t < ids.length; t++) {
                assertEquals(0, ids[t]);
                assertEquals(0, ref.attentionMask()[b][t]);
            }
        }
        assertEquals(4, java.util.Arrays.stream(ref.attentionMask()[4]).sum(), "Hello! is [CLS] hello ! [SEP]");
    }

    @Test
    void returnsEveryHiddenStateAndTheLastIsTheModelOutput() {
        int batch = MiniLmReference.SENTENCES.size();
        int len = ref.inputIds()[0].length;
        assertEquals(7, ref.hiddenStates().size(), "embeddings + 6 layers");
        for (float[][][] h : ref.hiddenStates()) {
            assertEquals(batch, h.length);
            assertEquals(len, h[0].length);
            assertEquals(384, h[0][0].length);
        }
        assertEquals(0f, maxDiff(ref.hiddenStates().get(6), ref.lastHiddenState(), ref.attentionMask()));
        for (float[][] row : ref.lastHiddenState()) {
            for (float[] v : row) {
                for (float x : v) {
                    assertTrue(Float.isFinite(x));
                }
            }
        }
    }

    @Test
    void paddingDoesNotChangeRealPositions() {
        int b = 1; // "The bank raised interest rates." is shorter than the longest sentence
        int len = (int) java.util.Arrays.stream(ref.attentionMask()[b]).sum();
        assertTrue(len < ref.inputIds()[b].length, "the batch must pad this row");
        long[][] ids = {java.util.Arrays.copyOf(ref.inputIds()[b], len)};
        long[][] mask = {java.util.Arrays.copyOf(ref.attentionMask()[b], len)};
        MiniLmReference.Output alone = MiniLmReference.run(ids, mask, new long[1][len], Set.of());
        float max = 0;
        for (int t = 0; t < len; t++) {
            for (int d = 0; d < 384; d++) {
                max = Math.max(max, Math.abs(alone.lastHiddenState()[0][t][d] - ref.lastHiddenState()[b][t][d]));
            }
        }
        assertTrue(max < 1e-5, "max |diff| " + max);
    }

    @Test
    void embeddingLayerRecomputedFromImportedWeightsMatchesOnnxruntime() {
        try (ImportedModel m = BertOnnxImporter.importModel(MiniLmReference.parsed())) {
            int d = 384;
            double eps = m.config().get("layer_norm_eps").asDouble();
            ByteBuffer word = m.weights().loadFloat32("embeddings.word_embeddings.weight");
            ByteBuffer pos = m.weights().loadFloat32("embeddings.position_embeddings.weight");
            ByteBuffer type = m.weights().loadFloat32("embeddings.token_type_embeddings.weight");
            ByteBuffer gamma = m.weights().loadFloat32("embeddings.LayerNorm.weight");
            ByteBuffer beta = m.weights().loadFloat32("embeddings.LayerNorm.bias");
            float[][][] ours = new float[ref.inputIds().length][ref.inputIds()[0].length][d];
            for (int b = 0; b < ours.length; b++) {
                for (int t = 0; t < ours[b].length; t++) {
                    int id = (int) ref.inputIds()[b][t];
                    int tt = (int) ref.tokenTypeIds()[b][t];
                    double[] x = new double[d];
                    double mean = 0;
                    for (int k = 0; k < d; k++) {
                        x[k] = word.getFloat((id * d + k) * 4) + pos.getFloat((t * d + k) * 4)
                                + type.getFloat((tt * d + k) * 4);
                        mean += x[k];
                    }
                    mean /= d;
                    double var = 0;
                    for (int k = 0; k < d; k++) {
                        var += (x[k] - mean) * (x[k] - mean);
                    }
                    var /= d;
                    for (int k = 0; k < d; k++) {
                        ours[b][t][k] = (float) ((x[k] - mean) / Math.sqrt(var + eps) * gamma.getFloat(k * 4)
                                + beta.getFloat(k * 4));
                    }
                }
            }
            float max = maxDiff(ours, ref.hiddenStates().get(0), ref.attentionMask());
            assertTrue(max < 1e-5, "max |diff| of the embedding output " + max);
        }
    }

    @Test
    void everyImportedLinearWeightReproducesItsMatMulInOnnxruntime() {
        OnnxModel onnx = MiniLmReference.parsed();
        try (ImportedModel m = BertOnnxImporter.importModel(onnx)) {
            Map<String, OnnxNode> matmulOf = new LinkedHashMap<>();
            for (String name : m.weights().names()) {
                if (m.weights().isTransposed(name)) {
                    matmulOf.put(name, onnx.graph().consumers(m.weights().onnxName(name)).get(0));
                }
            }
            assertEquals(36, matmulOf.size());
            Set<String> values = new LinkedHashSet<>();
            for (OnnxNode n : matmulOf.values()) {
                values.add(n.inputs().get(0));
                values.add(n.outputs().get(0));
            }
            // two sentences keep the 36 plain-Java products quick
            long[][] ids = java.util.Arrays.copyOf(ref.inputIds(), 2);
            long[][] mask = java.util.Arrays.copyOf(ref.attentionMask(), 2);
            MiniLmReference.Output out = MiniLmReference.run(ids, mask, new long[2][ids[0].length], values);
            List<String> report = new ArrayList<>();
            for (Map.Entry<String, OnnxNode> e : matmulOf.entrySet()) {
                float[][][] x = (float[][][]) out.extra().get(e.getValue().inputs().get(0));
                float[][][] y = (float[][][]) out.extra().get(e.getValue().outputs().get(0));
                long[] shape = m.weights().info(e.getKey()).shape(); // [out, in]
                int o = (int) shape[0];
                int in = (int) shape[1];
                ByteBuffer w = m.weights().loadFloat32(e.getKey());
                float[] wf = new float[o * in];
                w.asFloatBuffer().get(wf);
                float max = 0;
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < x[b].length; t++) {
                        if (mask[b][t] == 0) {
                            continue;
                        }
                        for (int j = 0; j < o; j++) {
                            double s = 0;
                            for (int k = 0; k < in; k++) {
                                s += (double) x[b][t][k] * wf[j * in + k]; // nn.Linear: y = x W^T
                            }
                            max = (float) Math.max(max, Math.abs(s - y[b][t][j]));
                        }
                    }
                }
                if (!(max < 1e-4)) {
                    report.add(e.getKey() + ": max |diff| " + max);
                }
            }
            assertTrue(report.isEmpty(), String.join("\n", report));
        }
    }

    private static float maxDiff(float[][][] a, float[][][] b, long[][] mask) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < a[i].length; t++) {
                if (mask[i][t] == 0) {
                    continue;
                }
                for (int k = 0; k < a[i][t].length; k++) {
                    max = Math.max(max, Math.abs(a[i][t][k] - b[i][t][k]));
                }
            }
        }
        return max;
    }
}
