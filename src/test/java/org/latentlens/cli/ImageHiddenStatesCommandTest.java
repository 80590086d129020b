package org.latentlens.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;

/**
 * {@code latentlens hidden-states --image FILE --text ...} on the VLM fixtures: the processor builds the
 * inputs from chelsea.png and the prompt, and the model's states equal the fixture's (the quickstart case
 * of Qwen2-VL is exactly this call in HuggingFace).
 */
class ImageHiddenStatesCommandTest {
    private static final Path CHELSEA = TestFixtures.resource("vision/image-processors/chelsea.png");

    @ParameterizedTest
    @CsvSource({"5, quickstart.", "4, quickstart_t4."})
    void qwenQuickstartPromptMatchesTheFixture(String semantics, String prefix, @TempDir Path dir) {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/qwen2-vl");
        Path out = dir.resolve("out.safetensors");
        assertEquals(0, Main.run("hidden-states", "--model", model.toString(), "--image", CHELSEA.toString(),
                "--text", "<|image_pad|>Describe this image in detail.", "--rope-semantics", semantics,
                "--out", out.toString()));
        try (SafetensorsCheckpoint want = SafetensorsCheckpoint.openFiles("e", List.of(model.resolve("expected.safetensors")));
             SafetensorsCheckpoint got = SafetensorsCheckpoint.openFiles("o", List.of(out))) {
            assertArrayEquals(want.loadLongs("quickstart.input_ids"), got.loadLongs("input_ids"));
            assertArrayEquals(want.loadLongs("quickstart.image_grid_thw"), got.loadLongs("image_grid_thw"));
            assertArrayEquals(want.loadLongs("quickstart.mm_token_type_ids"), got.loadLongs("mm_token_type_ids"));
            for (int i = 0; i <= 3; i++) {
                float[] a = want.loadFloats(prefix + "hidden_states." + i);
                float[] b = got.loadFloats("hidden_states." + i);
                assertEquals(a.length, b.length);
                double max = 0;
                for (int j = 0; j < a.length; j++) {
                    max = Math.max(max, Math.abs(a[j] - b[j]));
                }
                assertTrue(max <= 1e-4, prefix + "hidden_states." + i + " max diff " + max);
            }
        }
    }

    @Test
    void llavaImageFeaturesMatchTheFixturesFirstImage(@TempDir Path dir) {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/llava");
        Path out = dir.resolve("out.safetensors");
        // no placeholder in the text: the processor adds the model's image block ("<image>\n")
        assertEquals(0, Main.run("hidden-states", "--model", model.toString(), "--image", CHELSEA.toString(),
                "--text", "What is shown in this image?", "--out", out.toString()));
        try (SafetensorsCheckpoint want = SafetensorsCheckpoint.openFiles("e", List.of(model.resolve("expected.safetensors")));
             SafetensorsCheckpoint got = SafetensorsCheckpoint.openFiles("o", List.of(out))) {
            float[] a = want.loadFloats("image_features");
            float[] b = got.loadFloats("image_features");
            assertEquals(a.length / 2, b.length);
            for (int j = 0; j < b.length; j++) {
                assertEquals(a[j], b[j], 1e-4, "image_features[" + j + "]");
            }
            long[] ids = got.loadLongs("input_ids");
            assertEquals(1 + 16 + 1 + "What is shown in this image?".length(), ids.length);
        }
    }

    @Test
    void placeholderCountMismatchIsAnError(@TempDir Path dir) {
        Path model = TestFixtures.resource("fixtures/hf-tiny-vision/qwen2-vl");
        assertEquals(1, Main.run("hidden-states", "--model", model.toString(), "--image", CHELSEA.toString(),
                "--image", CHELSEA.toString(), "--text", "<|image_pad|>one placeholder",
                "--out", dir.resolve("o.safetensors").toString()));
    }
}
