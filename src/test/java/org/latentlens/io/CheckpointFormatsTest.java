package org.latentlens.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.TestFixtures;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.model.TransformerModel;

/** Sharded checkpoints, float16 weights, nested text configs and the half-float conversions. */
class CheckpointFormatsTest {

    @Test
    void shardedCheckpointGivesTheSameModel(@TempDir Path dir) throws IOException {
        Path src = TestFixtures.tinyModel("qwen2");
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        StringBuilder map = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        try (SafetensorsCheckpoint cp = SafetensorsCheckpoint.openFolder(src)) {
            List<String> names = new ArrayList<>(cp.names());
            SafetensorsWriter a = new SafetensorsWriter();
            SafetensorsWriter b = new SafetensorsWriter();
            for (int i = 0; i < names.size(); i++) {
                String n = names.get(i);
                String shard = i % 2 == 0 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
                (i % 2 == 0 ? a : b).addFloats(n, cp.loadFloats(n), cp.info(n).shape());
                map.append(i == 0 ? "" : ",").append('"').append(n).append("\": \"").append(shard).append('"');
            }
            a.write(dir.resolve("model-00001-of-00002.safetensors"));
            b.write(dir.resolve("model-00002-of-00002.safetensors"));
        }
        Files.writeString(dir.resolve(SafetensorsCheckpoint.INDEX_FILE), map.append("}}").toString());
        TokenBatch batch = TokenBatch.of(5, 9, 300, 17);
        ForwardOptions opts = ForwardOptions.builder().optLogits(true).build();
        try (Model one = ModelLoader.load(src, LoadOptions.defaults());
             Model sharded = ModelLoader.load(dir, LoadOptions.defaults())) {
            assertArrayEquals(one.hiddenStates(batch, opts).logits().orElseThrow(),
                    sharded.hiddenStates(batch, opts).logits().orElseThrow());
        }
        // an index pointing at a missing shard is named
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> ModelLoader.load(dir, LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
    }

    @Test
    void float16WeightsAreWidenedExactly(@TempDir Path dir) throws IOException {
        float[] values = {0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f};
        SafetensorsWriter w = new SafetensorsWriter();
        w.add("h", DType.F16, new long[] {values.length}, os -> {
            for (float v : values) {
                short h = FloatConversions.floatToHalf(v);
                os.write(h & 0xff);
                os.write((h >>> 8) & 0xff);
            }
        });
        w.addFloatsAsBf16("b", values, values.length);
        w.write(dir.resolve("t.safetensors"));
        try (SafetensorsCheckpoint cp = SafetensorsCheckpoint.openFiles("t", List.of(dir.resolve("t.safetensors")))) {
            assertArrayEquals(values, cp.loadFloats("h"));
            float[] bf = cp.loadFloats("b");
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], bf[i], Math.abs(values[i]) / 128 + 1e-30f);
            }
            assertEquals(DType.F16, cp.info("h").dtype());
        }
    }

    @Test
    void nestedTextConfigIsUsed(@TempDir Path dir) throws IOException {
        Path src = TestFixtures.tinyModel("llama");
        Files.copy(src.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        String inner = Files.readString(src.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"),
                "{\"model_type\": \"llava\", \"vision_config\": {\"model_type\": \"clip_vision_model\"}, \"text_config\": "
                        + inner + "}");
        try (Model m = ModelLoader.load(dir, LoadOptions.defaults());
             Model ref = ModelLoader.load(src, LoadOptions.defaults())) {
            assertEquals("llama", m.modelType());
            HiddenStates a = m.hiddenStates(TokenBatch.of(4, 5, 6));
            HiddenStates b = ref.hiddenStates(TokenBatch.of(4, 5, 6));
            assertArrayEquals(b.state(3), a.state(3));
        }
    }

    @Test
    void missingTieWordEmbeddingsMeansTied() {
        try (Model m = ModelLoader.load(TestFixtures.tinyModel("qwen2"), LoadOptions.defaults())) {
            assertTrue(((TransformerModel) m).blueprint().tieWordEmbeddings());
            assertTrue(m.hasLmHead());
        }
    }

    @Test
    void halfConversionsRoundTrip() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = FloatConversions.halfToFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals(h, FloatConversions.floatToHalf(f), "half bits " + Integer.toHexString(bits));
            }
            short b = (short) bits;
            float fb = FloatConversions.bf16ToFloat(b);
            if (!Float.isNaN(fb)) {
                assertEquals(b, FloatConversions.floatToBf16(fb));
            }
        }
    }

    @Test
    void positionalRowReadsEqualTheMappedRowsInEveryDtype(@TempDir Path dir) throws IOException {
        float[] v = new float[7 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i * 0.7) * (i + 1);
        }
        Path file = dir.resolve("w.safetensors");
        new SafetensorsWriter().addFloats("f32", v, 7, 5).addFloatsAsBf16("bf16", v, 7, 5).write(file);
        try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.openFiles("w", List.of(file))) {
            for (String name : List.of("f32", "bf16")) {
                java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(4 * 3 * 5 + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                dst.position(8); // written from the buffer's position, as a staging buffer is filled part by part
                ck.readFloat32Rows(name, 2, 3, dst);
                assertEquals(8 + 4 * 3 * 5, dst.position());
                java.nio.ByteBuffer mapped = ck.loadFloat32Rows(name, 2, 3);
                for (int i = 0; i < 15; i++) {
                    assertEquals(mapped.getFloat(4 * i), dst.getFloat(8 + 4 * i), name + " value " + i);
                }
            }
            assertThrows(IllegalArgumentException.class,
                    () -> ck.readFloat32Rows("f32", 5, 3, java.nio.ByteBuffer.allocate(1024)));
            assertThrows(java.nio.BufferOverflowException.class,
                    () -> ck.readFloat32Rows("bf16", 0, 7, java.nio.ByteBuffer.allocate(4 * 5)));
        }
    }
}
