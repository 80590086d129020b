package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;

/** {@code latentlens hidden-states} reproduces a fixture's expected.safetensors from its own inputs. */
class HiddenStatesCommandTest {

    @Test
    void writesFixtureLayout(@TempDir Path dir) {
        Path model = TestFixtures.tinyModel("gemma2");
        Path expected = model.resolve("expected.safetensors");
        Path out = dir.resolve("out.safetensors");
        int rc = Main.run("hidden-states", "--model", model.toString(), "--inputs", expected.toString(),
                "--out", out.toString());
        assertEquals(0, rc);
        try (SafetensorsCheckpoint want = SafetensorsCheckpoint.openFiles("e", List.of(expected));
             SafetensorsCheckpoint got = SafetensorsCheckpoint.openFiles("o", List.of(out))) {
            long[] mask = want.loadLongs("attention_mask");
            for (String name : List.of("hidden_states.0", "hidden_states.2", "hidden_states.3", "logits")) {
                float[] a = want.loadFloats(name);
                float[] b = got.loadFloats(name);
                assertEquals(a.length, b.length, name);
                int width = a.length / mask.length;
                double max = 0;
                for (int t = 0; t < mask.length; t++) {
                    if (mask[t] == 1) {
                        for (int j = 0; j < width; j++) {
                            max = Math.max(max, Math.abs(a[t * width + j] - b[t * width + j]));
                        }
                    }
                }
                assertTrue(max <= 1e-4, name + " max diff " + max);
            }
        }
    }

    @Test
    void reportsBadInputsFileClearly(@TempDir Path dir) {
        int rc = Main.run("hidden-states", "--model", TestFixtures.tinyModel("llama").toString(), "--inputs",
                dir.resolve("missing.safetensors").toString(), "--out", dir.resolve("o.safetensors").toString());
        assertEquals(1, rc);
    }
}
