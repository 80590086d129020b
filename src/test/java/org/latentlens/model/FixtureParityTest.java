package org.latentlens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.latentlens.TestFixtures;
import org.latentlens.io.SafetensorsCheckpoint;

/**
 * Every hidden state, the logits (decoders) and the pooler output (BERT) of every fixture model match
 * HuggingFace transformers' recorded outputs at every real position, within 1e-4, loading the config in
 * both its 5.x and 4.x spellings, and from bf16 weights where the fixture has them.
 */
class FixtureParityTest {
    static final double TOLERANCE = 1e-4;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String m : TestFixtures.TEXT_MODELS) {
            out.add(Arguments.of(m, "config.json", null, "expected.safetensors"));
            out.add(Arguments.of(m, "config.transformers4.json", null, "expected.safetensors"));
        }
        out.add(Arguments.of("llama", "config.json", "model-bf16.safetensors", "expected-bf16.safetensors"));
        out.add(Arguments.of("qwen2", "config.json", "model-bf16.safetensors", "expected-bf16.safetensors"));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesHuggingFace(String name, String config, String weights, String expectedFile) {
        Path dir = TestFixtures.tinyModel(name);
        LoadOptions opts = LoadOptions.builder().optConfigFile(config).optWeightsFile(weights).build();
        try (Model model = ModelLoader.load(dir, opts);
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve(expectedFile)))) {
            long[] idsFlat = expected.loadLongs("input_ids");
            long[] maskFlat = expected.loadLongs("attention_mask");
            long[] shape = expected.info("input_ids").shape();
            int b = (int) shape[0];
            int len = (int) shape[1];
            long[][] ids = reshape(idsFlat, b, len);
            long[][] mask = reshape(maskFlat, b, len);
            long[][] types = expected.has("token_type_ids") ? reshape(expected.loadLongs("token_type_ids"), b, len) : null;
            HiddenStates hs = model.hiddenStates(new TokenBatch(ids, mask, types),
                    ForwardOptions.builder().optLogits(model.hasLmHead()).build());
            int d = model.hiddenSize();
            for (int i = 0; i <= model.numLayers(); i++) {
                assertClose(name + " hidden_states." + i, expected.loadFloats("hidden_states." + i), hs.state(i), mask, d);
            }
            if (model.hasLmHead()) {
                assertClose(name + " logits", expected.loadFloats("logits"), hs.logits().orElseThrow(), mask, model.vocabSize());
            }
            if (expected.has("last_hidden_state")) {
                assertClose(name + " last_hidden_state", expected.loadFloats("last_hidden_state"),
                        hs.state(model.numLayers()), mask, d);
            }
            if (expected.has("pooler_output")) {
                float[] want = expected.loadFloats("pooler_output");
                float[] got = hs.poolerOutput().orElseThrow();
                assertEquals(want.length, got.length);
                double max = 0;
                for (int i = 0; i < want.length; i++) {
                    max = Math.max(max, Math.abs(want[i] - got[i]));
                }
                assertTrue(max <= TOLERANCE, name + " pooler_output max |diff| " + max);
            }
        }
    }

    static long[][] reshape(long[] flat, int b, int len) {
        return TestFixtures.reshape(flat, b, len);
    }

    static void assertClose(String what, float[] want, float[] got, long[][] mask, int width) {
        TestFixtures.assertCloseAtRealPositions(what, want, got, mask, width, TOLERANCE);
    }
}
