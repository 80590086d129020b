package org.latentlens.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.latentlens.io.MissingTensorException;
import org.latentlens.io.TensorFormatException;
import org.latentlens.io.TensorInfo;

class BertOnnxImporterTest {

    // ---- the real all-MiniLM-L6-v2 export ----

    @Test
    void miniLmHasEveryBertModelWeightWithItsShape() {
        try (ImportedModel m = BertOnnxImporter.importModel(MiniLmReference.parsed())) {
            ObjectNode c = m.config();
            assertEquals("bert", c.get("model_type").asText());
            assertEquals(384, c.get("hidden_size").asInt());
            assertEquals(6, c.get("num_hidden_layers").asInt());
            assertEquals(12, c.get("num_attention_heads").asInt());
            assertEquals(1536, c.get("intermediate_size").asInt());
            assertEquals(30522, c.get("vocab_size").asInt());
            assertEquals(512, c.get("max_position_embeddings").asInt());
            assertEquals(2, c.get("type_vocab_size").asInt());
            assertEquals(1e-12, c.get("layer_norm_eps").asDouble());
            assertEquals("gelu", c.get("hidden_act").asText());

            Map<String, long[]> expected = new java.util.LinkedHashMap<>();
            expected.put("embeddings.word_embeddings.weight", new long[] {30522, 384});
            expected.put("embeddings.position_embeddings.weight", new long[] {512, 384});
            expected.put("embeddings.token_type_embeddings.weight", new long[] {2, 384});
            expected.put("embeddings.LayerNorm.weight", new long[] {384});
            expected.put("embeddings.LayerNorm.bias", new long[] {384});
            for (int i = 0; i < 6; i++) {
                String p = "encoder.layer." + i + ".";
                for (String lin : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                        "attention.output.dense")) {
                    expected.put(p + lin + ".weight", new long[] {384, 384});
                    expected.put(p + lin + ".bias", new long[] {384});
                }
                expected.put(p + "attention.output.LayerNorm.weight", new long[] {384});
                expected.put(p + "attention.output.LayerNorm.bias", new long[] {384});
                expected.put(p + "intermediate.dense.weight", new long[] {1536, 384});
                expected.put(p + "intermediate.dense.bias", new long[] {1536});
                expected.put(p + "output.dense.weight", new long[] {384, 1536});
                expected.put(p + "output.dense.bias", new long[] {384});
                expected.put(p + "output.LayerNorm.weight", new long[] {384});
                expected.put(p + "output.LayerNorm.bias", new long[] {384});
            }
            assertEquals(expected.keySet(), m.weights().names(), "exactly BertModel's weights (this export has no pooler)");
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                TensorInfo info = m.weights().info(e.getKey());
                assertArrayEquals(e.getValue(), info.shape(), e.getKey());
                ByteBuffer b = m.weights().loadFloat32(e.getKey(), e.getValue());
                assertTrue(b.isDirect(), e.getKey());
                assertEquals(ByteOrder.LITTLE_ENDIAN, b.order(), e.getKey());
                assertEquals(0, b.position(), e.getKey());
                assertEquals(info.numElements() * 4, b.remaining(), e.getKey());
            }
            // the 36 Linear weights are the anonymous MatMul initializers, transposed; nothing else is
            long transposed = m.weights().names().stream().filter(m.weights()::isTransposed).count();
            assertEquals(36, transposed);
            assertFalse(m.weights().has("embeddings.position_ids"), "a buffer, not a weight");
        }
    }

    @Test
    void miniLmLinearWeightsAreTheMatMulInitializersTransposed() {
        OnnxModel onnx = MiniLmReference.parsed();
        try (ImportedModel m = BertOnnxImporter.importModel(onnx)) {
            String name = "encoder.layer.3.intermediate.dense.weight";
            String init = m.weights().onnxName(name);
            assertTrue(init.startsWith("onnx::MatMul_"), init);
            assertEquals("/encoder/layer.3/intermediate/dense/MatMul", onnx.graph().consumers(init).get(0).name());
            float[] stored = onnx.graph().initializers().get(init).toFloatArray(); // [in=384][out=1536]
            ByteBuffer hf = m.weights().loadFloat32(name); // [out=1536][in=384]
            for (int[] oi : new int[][] {{0, 0}, {1, 0}, {0, 1}, {1535, 383}, {700, 17}, {17, 300}}) {
                int o = oi[0];
                int i = oi[1];
                assertEquals(stored[i * 1536 + o], hf.getFloat((o * 384 + i) * 4), "element [" + o + "][" + i + "]");
            }
        }
    }

    @Test
    void miniLmLinearWeightAndBiasBelongToTheSameGraphModule() {
        // The weight of X comes from the MatMul named after X; its output must flow into the Add that reads
        // the bias we call X.bias, or weight and bias would belong to different layers.
        OnnxModel onnx = MiniLmReference.parsed();
        try (ImportedModel m = BertOnnxImporter.importModel(onnx)) {
            int checked = 0;
            for (String name : m.weights().names()) {
                if (!m.weights().isTransposed(name)) {
                    continue;
                }
                OnnxNode matmul = onnx.graph().consumers(m.weights().onnxName(name)).get(0);
                OnnxNode add = onnx.graph().consumers(matmul.outputs().get(0)).get(0);
                assertEquals("Add", add.opType(), name);
                String bias = name.substring(0, name.length() - "weight".length()) + "bias";
                assertTrue(add.inputs().contains(m.weights().onnxName(bias)), name + " vs " + bias + ": " + add.inputs());
                checked++;
            }
            assertEquals(36, checked);
        }
    }

    // ---- small hand-written graphs: every way an import must fail ----

    /** A one-layer BERT (hidden 4, 2 heads, intermediate 8, vocabulary 10) shaped like PyTorch's export. */
    private static final class TinyBert {
        final Set<String> skip = new HashSet<>();
        final Map<String, long[]> dimsOverride = new java.util.HashMap<>();
        final Map<String, Integer> typeOverride = new java.util.HashMap<>();
        final Map<String, String> nodeRename = new java.util.HashMap<>();
        boolean reshape = true;
        boolean scale = false;
        boolean pooler = false;

        TinyOnnx build() {
            TinyOnnx t = new TinyOnnx();
            tensor(t, "embeddings.word_embeddings.weight", 10, 4);
            tensor(t, "embeddings.position_embeddings.weight", 6, 4);
            tensor(t, "embeddings.token_type_embeddings.weight", 2, 4);
            tensor(t, "embeddings.LayerNorm.weight", 4);
            tensor(t, "embeddings.LayerNorm.bias", 4);
            t.raw("embeddings.position_ids", 7, new long[] {1, 6}, new byte[48]);
            String p = "encoder.layer.0.";
            int anon = 1;
            String[][] linears = {{"attention.self.query", "4", "4"}, {"attention.self.key", "4", "4"},
                {"attention.self.value", "4", "4"}, {"attention.output.dense", "4", "4"},
                {"intermediate.dense", "4", "8"}, {"output.dense", "8", "4"}};
            for (String[] l : linears) {
                int in = Integer.parseInt(l[1]);
                int out = Integer.parseInt(l[2]);
                String init = "onnx::MatMul_" + anon++;
                tensor(t, init, in, out); // stored [in, out], as x @ W
                String node = "/" + (p + l[0]).replace('.', '/').replace("layer/0", "layer.0") + "/MatMul";
                node = nodeRename.getOrDefault(node, node);
                if (!skip.contains(p + l[0] + ".weight")) {
                    t.node(node, "MatMul", List.of("/x", init), List.of(node + "_output_0"));
                }
                tensor(t, p + l[0] + ".bias", out);
            }
            for (String ln : List.of("attention.output.LayerNorm", "output.LayerNorm")) {
                tensor(t, p + ln + ".weight", 4);
                tensor(t, p + ln + ".bias", 4);
            }
            if (pooler) {
                tensor(t, "onnx::Gemm_99", 4, 4); // [out, in] with transB = 1
                tensor(t, "pooler.dense.bias", 4);
                t.node("/pooler/dense/Gemm", "Gemm", List.of("/first", "onnx::Gemm_99", "pooler.dense.bias"),
                        List.of("/pooled"), TinyOnnx.attribute("transB", 2, o -> o.writeInt64(3, 1)));
            }
            if (reshape) {
                String s = "/encoder/layer.0/attention/self/";
                t.constantInts(s + "Constant_2", s + "Constant_2_output_0", 2);
                t.constantInts(s + "Constant_3", s + "Constant_3_output_0", 2);
                t.node(s + "Concat", "Concat", List.of(s + "Unsqueeze_output_0", s + "Unsqueeze_1_output_0",
                        s + "Constant_2_output_0", s + "Constant_3_output_0"), List.of(s + "Concat_output_0"));
                t.node(s + "Reshape", "Reshape", List.of(s + "key/Add_output_0", s + "Concat_output_0"),
                        List.of(s + "Reshape_output_0"));
            }
            if (scale) {
                String s = "/encoder/layer.0/attention/self/";
                t.node(s + "MatMul", "MatMul", List.of(s + "q", s + "k"), List.of(s + "MatMul_output_0"));
                t.constantFloat(s + "Constant_12", s + "Constant_12_output_0", (float) Math.sqrt(2));
                t.node(s + "Div", "Div", List.of(s + "MatMul_output_0", s + "Constant_12_output_0"),
                        List.of(s + "Div_output_0"));
            }
            t.constantFloat("/embeddings/LayerNorm/Constant_1", "/embeddings/LayerNorm/Constant_1_output_0", 1e-12f);
            t.node("/embeddings/LayerNorm/Add", "Add", List.of("/embeddings/LayerNorm/ReduceMean_1_output_0",
                    "/embeddings/LayerNorm/Constant_1_output_0"), List.of("/embeddings/LayerNorm/Add_output_0"));
            t.node("/embeddings/LayerNorm/Sqrt", "Sqrt", List.of("/embeddings/LayerNorm/Add_output_0"),
                    List.of("/embeddings/LayerNorm/Sqrt_output_0"));
            t.node("/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "Erf", List.of("/d"), List.of("/e"));
            return t;
        }

        private void tensor(TinyOnnx t, String name, long... dims) {
            if (skip.contains(name)) {
                return;
            }
            long[] d = dimsOverride.getOrDefault(name, dims);
            int n = 1;
            for (long x : d) {
                n *= (int) x;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = i; // element k holds k, so a transpose is visible
            }
            if (typeOverride.containsKey(name)) {
                t.raw(name, typeOverride.get(name), d, new byte[n * 2]);
            } else {
                t.floats(name, d, v);
            }
        }

        ImportedModel importModel() {
            return BertOnnxImporter.importModel(build().read());
        }
    }

    @Test
    void tinyBertImportsAndTransposesMatMulWeights() {
        try (ImportedModel m = new TinyBert().importModel()) {
            assertEquals(21, m.weights().names().size());
            assertEquals(2, m.config().get("num_attention_heads").asInt());
            assertEquals(8, m.config().get("intermediate_size").asInt());
            assertEquals(1, m.config().get("num_hidden_layers").asInt());
            assertEquals(1e-12, m.config().get("layer_norm_eps").asDouble());
            assertArrayEquals(new long[] {8, 4}, m.weights().info("encoder.layer.0.intermediate.dense.weight").shape());
            ByteBuffer w = m.weights().loadFloat32("encoder.layer.0.intermediate.dense.weight");
            for (int o = 0; o < 8; o++) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(i * 8 + o, w.getFloat((o * 4 + i) * 4), "[" + o + "][" + i + "]");
                }
            }
            assertTrue(m.configJson().contains("\"model_type\" : \"bert\""), m.configJson());
        }
    }

    @Test
    void gemmPoolerWithTransBIsKeptAsStored() {
        TinyBert b = new TinyBert();
        b.pooler = true;
        try (ImportedModel m = b.importModel()) {
            assertEquals("onnx::Gemm_99", m.weights().onnxName("pooler.dense.weight"));
            assertFalse(m.weights().isTransposed("pooler.dense.weight"));
            assertEquals(1f, m.weights().loadFloat32("pooler.dense.weight").getFloat(4));
            assertEquals(23, m.weights().names().size());
        }
    }

    @Test
    void headsFromTheScoreScaleWhenNoReshapeShowsThem() {
        TinyBert b = new TinyBert();
        b.reshape = false;
        b.scale = true;
        try (ImportedModel m = b.importModel()) {
            assertEquals(2, m.config().get("num_attention_heads").asInt());
        }
        b.scale = false;
        TensorFormatException e = assertThrows(TensorFormatException.class, b::importModel);
        assertTrue(e.getMessage().contains("cannot tell the number of attention heads")
                && e.getMessage().contains("tiny.onnx"), e.getMessage());
    }

    @Test
    void anonymousWeightUnderAnUnknownModuleNamesInitializerAndNode() {
        TinyBert b = new TinyBert();
        b.nodeRename.put("/encoder/layer.0/attention/self/query/MatMul", "/encoder/layer.0/attention/self/qury/MatMul");
        TensorFormatException e = assertThrows(TensorFormatException.class, b::importModel);
        String msg = e.getMessage();
        assertTrue(msg.contains("'onnx::MatMul_1'") && msg.contains("/encoder/layer.0/attention/self/qury/MatMul")
                && msg.contains("encoder.layer.0.attention.self.qury.weight") && msg.contains("Expected a BertModel name"), msg);
    }

    @Test
    void anonymousWeightThatNoNodeReadsIsAnError() {
        TinyBert b = new TinyBert();
        b.skip.add("encoder.layer.0.attention.self.value.weight"); // drops only the MatMul node
        TensorFormatException e = assertThrows(TensorFormatException.class, b::importModel);
        assertTrue(e.getMessage().contains("'onnx::MatMul_3'") && e.getMessage().contains("no node reads it"),
                e.getMessage());
    }

    @Test
    void missingWeightIsNamed() {
        TinyBert b = new TinyBert();
        b.skip.add("encoder.layer.0.output.dense.bias");
        MissingTensorException e = assertThrows(MissingTensorException.class, b::importModel);
        assertTrue(e.getMessage().contains("encoder.layer.0.output.dense.bias"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTensorInitializerAndExpectedShape() {
        TinyBert b = new TinyBert();
        b.dimsOverride.put("encoder.layer.0.attention.self.key.bias", new long[] {3});
        TensorFormatException e = assertThrows(TensorFormatException.class, b::importModel);
        assertTrue(e.getMessage().contains("encoder.layer.0.attention.self.key.bias") && e.getMessage().contains("[3]")
                && e.getMessage().contains("[4] was expected"), e.getMessage());
    }

    @Test
    void unsupportedDataTypeNamesTheInitializer() {
        TinyBert b = new TinyBert();
        b.typeOverride.put("encoder.layer.0.attention.self.query.bias", 4); // UINT16
        TensorFormatException e = assertThrows(TensorFormatException.class, b::importModel);
        assertTrue(e.getMessage().contains("'encoder.layer.0.attention.self.query.bias'")
                && e.getMessage().contains("UINT16"), e.getMessage());
    }

    @Test
    void float16WeightsAreWidened() {
        TinyBert b = new TinyBert();
        b.typeOverride.put("embeddings.LayerNorm.weight", 10); // FLOAT16 zeros
        try (ImportedModel m = b.importModel()) {
            ByteBuffer w = m.weights().loadFloat32("embeddings.LayerNorm.weight");
            assertEquals(16, w.remaining());
            assertEquals(0f, w.getFloat(12));
        }
    }

    @Test
    void modulePathsFollowPyTorchNodeNames() {
        assertEquals("encoder.layer.0.attention.self.query",
                BertOnnxImporter.modulePath("/encoder/layer.0/attention/self/query/MatMul"));
        assertEquals("pooler.dense", BertOnnxImporter.modulePath("/bert/pooler/dense/Gemm"));
        assertEquals(null, BertOnnxImporter.modulePath("MatMul_12"));
    }
}
