package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.TokenBatch;

/**
 * LLaVA reproduces HuggingFace within 1e-4: the CLIP tower's hidden states, the projected image features,
 * every LM hidden state and the logits at every real position (right padding), from both config spellings;
 * visual tokens map to their 4x4 patch cells.
 */
class LlavaParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "config.transformers4.json"})
    void matchesHuggingFace(String config) {
        Path dir = VisionFixtures.folder("llava");
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.builder().optConfigFile(config).build());
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve("expected.safetensors")))) {
            assertTrue(vlm instanceof LlavaModel);
            VlmInput in = input(expected);
            VlmOutput out = vlm.forward(in, ForwardOptions.builder().optLogits(true).build());
            for (int i = 0; i < out.visionHiddenStates().length; i++) {
                VisionFixtures.assertClose("vision.hidden_states." + i, expected.loadFloats("vision.hidden_states." + i),
                        out.visionHiddenStates()[i]);
            }
            assertEquals("image_features", out.imageFeaturesName());
            VisionFixtures.assertClose("image_features", expected.loadFloats("image_features"), out.imageFeatures());
            long[][] mask = in.tokens().attentionMask();
            HiddenStates hs = out.text();
            for (int i = 0; i < hs.numStates(); i++) {
                VisionFixtures.assertCloseMasked("hidden_states." + i, expected.loadFloats("hidden_states." + i), hs.state(i),
                        mask, hs.hiddenSize());
            }
            VisionFixtures.assertCloseMasked("logits", expected.loadFloats("logits"), hs.logits().orElseThrow(), mask, 512);
            ImageTokenMap map = out.tokenMap();
            assertEquals(2, map.images().size());
            for (ImageTokenMap.Image im : map.images()) {
                assertEquals(im.image(), im.batchRow());
                assertEquals(16, im.tokens().size());
                assertEquals(4, im.gridRows());
                for (int k = 0; k < 16; k++) {
                    ImageTokenMap.Token t = im.tokens().get(k);
                    assertEquals(500, in.tokens().inputIds()[t.batchRow()][t.column()]);
                    assertEquals(k / 4, t.gridRow());
                    assertEquals(k % 4, t.gridCol());
                }
            }
        }
    }

    static VlmInput input(SafetensorsCheckpoint expected) {
        long[] shape = expected.info("input_ids").shape();
        int b = (int) shape[0];
        int len = (int) shape[1];
        TokenBatch tb = new TokenBatch(VisionFixtures.reshape(expected.loadLongs("input_ids"), b, len),
                VisionFixtures.reshape(expected.loadLongs("attention_mask"), b, len), null);
        return new VlmInput(tb, expected.loadFloats("pixel_values"), expected.info("pixel_values").shape(), null, null, null);
    }

    @Test
    void placeholderCountMustMatchImages() {
        Path dir = VisionFixtures.folder("llava");
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.defaults());
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve("expected.safetensors")))) {
            VlmInput full = input(expected);
            long[][] ids = full.tokens().inputIds();
            for (int c = 0; c < ids[1].length; c++) {
                if (ids[1][c] == 500) {
                    ids[1][c] = 65; // one placeholder fewer
                    break;
                }
            }
            VlmInput broken = new VlmInput(new TokenBatch(ids, full.tokens().attentionMask(), null), full.pixelValues(),
                    full.pixelShape(), null, null, null);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vlm.forward(broken, ForwardOptions.allStates()));
            assertTrue(e.getMessage().contains("31 image placeholder") && e.getMessage().contains("32 visual tokens"),
                    e.getMessage());
        }
    }
}
