package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.io.DType;
import org.latentlens.io.FloatConversions;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;
import org.latentlens.io.TensorFormatException;

/**
 * Weights staged through the reused buffer come out exactly as the checkpoint holds them, whatever the
 * dtype, the number of parts stacked and where the chunk boundaries fall.
 */
class TensorStagingTest {
    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 3f) * scale;
        }
        return v;
    }

    private static float[] bf16(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.intBitsToFloat((FloatConversions.floatToBf16(v[i]) & 0xffff) << 16);
        }
        return out;
    }

    private static float[] f16(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = FloatConversions.halfToFloat(FloatConversions.floatToHalf(v[i]));
        }
        return out;
    }

    @Test
    void stacksPartsOfEveryDtypeAcrossChunkBoundaries(@TempDir Path dir) throws Exception {
        float[] q = ramp(5 * 3, 0.37f);
        float[] k = ramp(2 * 3, -1.1f);
        float[] v = ramp(4 * 3, 2.5f);
        float[] f16 = ramp(3 * 3, 0.01f);
        SafetensorsWriter w = new SafetensorsWriter().addFloatsAsBf16("q", q, 5, 3).addFloats("k", k, 2, 3)
                .addFloatsAsBf16("v", v, 4, 3);
        w.add("h", DType.F16, new long[] {3, 3}, out -> {
            ByteBuffer b = ByteBuffer.allocate(f16.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : f16) {
                b.putShort(FloatConversions.floatToHalf(x));
            }
            out.write(b.array());
        });
        Path file = dir.resolve("w.safetensors");
        w.write(file);
        float[] want = new float[(5 + 2 + 4 + 3) * 3];
        System.arraycopy(bf16(q), 0, want, 0, 15);
        System.arraycopy(k, 0, want, 15, 6);
        System.arraycopy(bf16(v), 0, want, 21, 12);
        System.arraycopy(f16(f16), 0, want, 33, 9);
        try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.openFiles("w", List.of(file));
             NDManager m = NDManager.newBaseManager("PyTorch")) {
            // 24 bytes = 2 rows per chunk: boundaries fall inside parts and between them
            for (int chunk : new int[] {12, 24, 36, 1 << 20}) {
                NDArray got = TensorStaging.load(m, ck, new long[] {14, 3}, chunk, "q", "k", "v", "h");
                assertArrayEquals(new long[] {14, 3}, got.getShape().getShape());
                assertArrayEquals(want, got.toFloatArray(), "chunk " + chunk);
            }
            // one float32 tensor: wrapped without a copy, same values
            assertArrayEquals(k, TensorStaging.load(m, ck, new long[] {2, 3}, "k").toFloatArray());
            // a vector stacked from matrices' worth of values is refused with the names
            TensorFormatException e = assertThrows(TensorFormatException.class,
                    () -> TensorStaging.load(m, ck, new long[] {10, 3}, "q", "k"));
            assertTrue(e.getMessage().contains("[q, k]") && e.getMessage().contains("[10, 3]"), e.getMessage());
            TensorFormatException width = assertThrows(TensorFormatException.class,
                    () -> TensorStaging.load(m, ck, new long[] {3, 5}, "q"));
            assertTrue(width.getMessage().contains("'q'") && width.getMessage().contains("[5, 3]"), width.getMessage());
            assertEquals(14 * 3, want.length);
        }
    }
}
