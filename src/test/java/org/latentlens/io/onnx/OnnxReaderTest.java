package org.latentlens.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.io.DType;
import org.latentlens.io.TensorFormatException;

class OnnxReaderTest {

    @Test
    void readsHeaderNodesAttributesAndEveryDataEncoding() throws Exception {
        ByteArrayOutputStream packedFloats = new ByteArrayOutputStream();
        CodedOutputStream pf = CodedOutputStream.newInstance(packedFloats);
        for (float v : new float[] {1.5f, -2f, 3.25f}) {
            pf.writeFloatNoTag(v);
        }
        pf.flush();
        byte[] half = {0x00, 0x3c, 0x00, (byte) 0xc0, 0x01, 0x00}; // 1.0, -2.0, smallest subnormal, little-endian
        OnnxModel m = new TinyOnnx()
                .floats("raw", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
                .initializer("packed", 1, new long[] {3}, o -> o.writeByteArray(4, packedFloats.toByteArray()))
                .initializer("unpacked", 1, new long[] {2}, o -> {
                    o.writeFloat(4, 7f); // float_data, one value per tag
                    o.writeFloat(4, 8f);
                })
                .raw("half", 10, new long[] {3}, half)
                .initializer("bf16", 16, new long[] {2}, o -> {
                    o.writeInt32(5, 0x3f80); // int32_data holds bfloat16 bits: 1.0
                    o.writeInt32(5, 0xc000); // -2.0
                })
                .initializer("longs", 7, new long[] {3}, o -> {
                    o.writeInt64(7, 0);
                    o.writeInt64(7, -1);
                    o.writeInt64(7, 12);
                })
                .initializer("dbl", 11, new long[] {1}, o -> o.writeDouble(10, 0.25))
                .constantInts("/c/Constant", "/c/Constant_output_0", 0, 0, 2, 32)
                .constantFloat("/c/Constant_1", "/c/Constant_1_output_0", 1e-12f)
                .node("/a/MatMul", "MatMul", List.of("x", "raw"), List.of("y"),
                        TinyOnnx.attribute("ints", 7, o -> {
                            o.writeInt64(8, 3);
                            o.writeInt64(8, 4);
                        }),
                        TinyOnnx.attribute("mode", 3, o -> o.writeString(4, "exact")))
                .output("y")
                .read();

        assertEquals(8, m.irVersion());
        assertEquals("tiny-test", m.producerName());
        assertEquals(17L, m.opsets().get(""));
        OnnxGraph g = m.graph();
        assertEquals(List.of("y"), g.outputs());
        assertEquals(List.of("raw", "packed", "unpacked", "half", "bf16", "longs", "dbl"),
                List.copyOf(g.initializers().keySet()));
        assertArrayEquals(new long[] {2, 3}, g.initializers().get("raw").dims());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, g.initializers().get("raw").toFloatArray());
        assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, g.initializers().get("packed").toFloatArray());
        assertArrayEquals(new float[] {7f, 8f}, g.initializers().get("unpacked").toFloatArray());
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, g.initializers().get("half").toFloatArray());
        assertEquals(DType.BF16, g.initializers().get("bf16").dtype());
        assertArrayEquals(new float[] {1f, -2f}, g.initializers().get("bf16").toFloatArray());
        assertArrayEquals(new long[] {0, -1, 12}, g.initializers().get("longs").toLongArray());
        assertArrayEquals(new float[] {0.25f}, g.initializers().get("dbl").toFloatArray());

        ByteBuffer f32 = g.initializers().get("raw").toFloat32();
        assertTrue(f32.isDirect(), "float32 data handed out must be direct for zero-copy NDArrays");
        assertEquals(ByteOrder.LITTLE_ENDIAN, f32.order());
        assertEquals(0, f32.position());
        assertEquals(24, f32.remaining());

        OnnxNode mm = g.producer("y").orElseThrow();
        assertEquals("MatMul", mm.opType());
        assertEquals(List.of("x", "raw"), mm.inputs());
        assertArrayEquals(new long[] {3, 4}, mm.attribute("ints").orElseThrow().ints());
        assertEquals("exact", mm.attribute("mode").orElseThrow().s());
        assertEquals(List.of(mm), g.consumers("raw"));
        assertArrayEquals(new long[] {0, 0, 2, 32}, g.constant("/c/Constant_output_0").orElseThrow().toLongArray());
        assertEquals("/c/Constant_output_0", g.constant("/c/Constant_output_0").orElseThrow().name());
        assertArrayEquals(new float[] {1e-12f}, g.constant("/c/Constant_1_output_0").orElseThrow().toFloatArray());
        assertTrue(g.constant("y").isEmpty(), "a computed value has no constant");
    }

    @Test
    void unsupportedDataTypeNamesTheInitializer() {
        OnnxModel m = new TinyOnnx()
                .raw("weird.uint16", 4, new long[] {2}, new byte[4])
                .initializer("future", 99, new long[] {1}, o -> o.writeByteArray(9, new byte[4]))
                .read();
        TensorFormatException e = assertThrows(TensorFormatException.class,
                () -> m.graph().initializers().get("weird.uint16").dtype());
        assertTrue(e.getMessage().contains("'weird.uint16'") && e.getMessage().contains("UINT16"), e.getMessage());
        e = assertThrows(TensorFormatException.class, () -> m.graph().initializers().get("future").type());
        assertTrue(e.getMessage().contains("'future'") && e.getMessage().contains("unknown (99)"), e.getMessage());
    }

    @Test
    void externalDataIsAnErrorNamingTheInitializer() {
        TinyOnnx t = new TinyOnnx().initializer("big.weight", 1, new long[] {4}, o -> {
            o.writeByteArray(13, TinyOnnx.message(kv -> { // external_data { key: "location" value: "w.bin" }
                kv.writeString(1, "location");
                kv.writeString(2, "w.bin");
            }));
            o.writeEnum(14, 1); // data_location = EXTERNAL
        });
        TensorFormatException e = assertThrows(TensorFormatException.class, t::read);
        assertTrue(e.getMessage().contains("'big.weight'") && e.getMessage().contains("external"), e.getMessage());
    }

    @Test
    void dataOfTheWrongLengthIsAnErrorNamingTheInitializer() {
        TinyOnnx t = new TinyOnnx().raw("short.weight", 1, new long[] {2, 2}, new byte[12]);
        TensorFormatException e = assertThrows(TensorFormatException.class, t::read);
        assertTrue(e.getMessage().contains("'short.weight'") && e.getMessage().contains("16 bytes")
                && e.getMessage().contains("holds 12"), e.getMessage());
    }

    @Test
    void truncatedFileIsAnErrorNamingTheFileAndWhereItStopped(@TempDir Path dir) throws Exception {
        byte[] whole = new TinyOnnx().floats("a", new long[] {2}, 1, 2).floats("b.weight", new long[] {64}, new float[64])
                .bytes();
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 100));
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> OnnxReader.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("initializer"), e.getMessage());
    }

    @Test
    void nonOnnxFilesAreRejectedClearly(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("config.json");
        Files.writeString(json, "{\"model_type\": \"bert\"}\n");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> OnnxReader.read(json));
        assertTrue(e.getMessage().contains(json.toString()), e.getMessage());

        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        e = assertThrows(TensorFormatException.class, () -> OnnxReader.read(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(TensorFormatException.class, () -> OnnxReader.read(dir.resolve("missing.onnx")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void readsTheRealMiniLmExport() {
        OnnxModel m = MiniLmReference.parsed();
        assertEquals("pytorch", m.producerName());
        assertEquals(11L, m.opsets().get(""));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), m.graph().inputs());
        assertEquals(List.of("last_hidden_state"), m.graph().outputs());
        assertEquals(102, m.graph().initializers().size());
        assertEquals(637, m.graph().nodes().size());
        OnnxTensor q0 = m.graph().initializers().get("onnx::MatMul_787");
        assertArrayEquals(new long[] {384, 384}, q0.dims());
        assertEquals("/encoder/layer.0/attention/self/query/MatMul", m.graph().consumers("onnx::MatMul_787").get(0).name());
    }
}
