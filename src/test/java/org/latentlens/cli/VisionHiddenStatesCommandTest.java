package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.SafetensorsWriter;

/**
 * {@code latentlens hidden-states} on the vision fixtures: fed their expected.safetensors as inputs, it
 * writes every tensor under the fixture's names, matching within 1e-4 (LM tensors at real positions).
 */
class VisionHiddenStatesCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"llava", "qwen2-vl", "qwen2.5-vl", "clip-vision", "siglip-vision"})
    void writesFixtureLayout(String name, @TempDir Path dir) {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/" + name);
        Path expected = model.resolve("expected.safetensors");
        Path out = dir.resolve("out.safetensors");
        assertEquals(0, Main.run("hidden-states", "--model", model.toString(), "--inputs", expected.toString(),
                "--out", out.toString()));
        try (SafetensorsCheckpoint want = SafetensorsCheckpoint.openFiles("e", List.of(expected));
             SafetensorsCheckpoint got = SafetensorsCheckpoint.openFiles("o", List.of(out))) {
            long[] mask = want.has("attention_mask") ? want.loadLongs("attention_mask") : null;
            int compared = 0;
            for (String n : got.names()) {
                if (got.info(n).dtype() != org.latentlens.io.DType.F32) {
                    assertEquals(java.util.Arrays.toString(want.loadLongs(n)), java.util.Arrays.toString(got.loadLongs(n)), n);
                    continue;
                }
                float[] a = want.loadFloats(n);
                float[] b = got.loadFloats(n);
                assertEquals(a.length, b.length, n);
                boolean perToken = mask != null && (n.startsWith("hidden_states.") || n.equals("logits"));
                int width = perToken ? a.length / mask.length : 1;
                double max = 0;
                for (int i = 0; i < a.length; i++) {
                    if (!perToken || mask[i / width] == 1) {
                        max = Math.max(max, Math.abs(a[i] - b[i]));
                    }
                }
                assertTrue(max <= 1e-4, name + " " + n + " max diff " + max);
                compared++;
            }
            assertTrue(compared >= 5, "compared " + compared + " tensors: " + got.names());
            if (mask != null) {
                assertTrue(got.has("vision.hidden_states.0") && got.has("logits") && got.has("hidden_states.0"), got.names().toString());
            }
        }
    }

    @Test
    void vlmInputsWithoutPixelsAreNamed(@TempDir Path dir) throws Exception {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/llava");
        Path in = dir.resolve("in.safetensors");
        new SafetensorsWriter().addLongs("input_ids", new long[] {1, 2, 3}, 1, 3).write(in);
        assertEquals(1, Main.run("hidden-states", "--model", model.toString(), "--inputs", in.toString(),
                "--out", dir.resolve("o.safetensors").toString()));
    }
}
