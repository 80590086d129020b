package org.latentlens.vision.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.TokenBatch;

/**
 * Qwen2-VL and Qwen2.5-VL reproduce HuggingFace within 1e-4: the vision tower's hidden states (window
 * order for 2.5), the merged image_embeds, the mRoPE position ids (computed, not read), every LM state and
 * the logits at every real position with left padding; the quickstart prompt under 5.x and 4.x position
 * semantics; both config spellings.
 */
class QwenVlParityTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"qwen2-vl,config.json", "qwen2-vl,config.transformers4.json",
            "qwen2.5-vl,config.json", "qwen2.5-vl,config.transformers4.json"})
    void matchesHuggingFace(String name, String config) {
        Path dir = VisionFixtures.folder(name);
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.builder().optConfigFile(config).build());
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve("expected.safetensors")))) {
            assertTrue(vlm instanceof QwenVlModel);
            VlmInput in = input(expected, "", false);
            VlmOutput out = vlm.forward(in, ForwardOptions.builder().optLogits(true).build());
            for (int i = 0; i < out.visionHiddenStates().length; i++) {
                VisionFixtures.assertClose(name + " vision.hidden_states." + i, expected.loadFloats("vision.hidden_states." + i),
                        out.visionHiddenStates()[i]);
            }
            assertEquals("image_embeds", out.imageFeaturesName());
            VisionFixtures.assertClose(name + " image_embeds", expected.loadFloats("image_embeds"), out.imageFeatures());
            long[][] mask = in.tokens().attentionMask();
            assertPositions(expected, "", out.positionIds(), mask);
            checkText(name, expected, "", out.text(), mask, true);
            checkMap(out.tokenMap(), in, expected.loadLongs("image_grid_thw"));
            checkLayout(((QwenVlModel) vlm).tower(), in.imageGridThw(), expected);

            ((QwenVlModel) vlm).withRopeSemantics(RopeIndex.Semantics.V4);
            VlmOutput full4 = vlm.forward(in, ForwardOptions.allStates());
            checkText(name + " (4.x rules, vision_start present)", expected, "", full4.text(), mask, false);
            ((QwenVlModel) vlm).withRopeSemantics(RopeIndex.Semantics.V5);
            if (!expected.has("quickstart.input_ids")) {
                return; // only the qwen2-vl fixture records the quickstart prompt
            }
            VlmInput quick = input(expected, "quickstart.", false);
            VlmOutput q5 = vlm.forward(quick, ForwardOptions.allStates());
            assertPositions(expected, "quickstart.", q5.positionIds(), quick.tokens().attentionMask());
            checkText(name, expected, "quickstart.", q5.text(), quick.tokens().attentionMask(), false);

            ((QwenVlModel) vlm).withRopeSemantics(RopeIndex.Semantics.V4);
            VlmOutput q4 = vlm.forward(quick, ForwardOptions.allStates());
            assertPositions(expected, "quickstart_t4.", q4.positionIds(), quick.tokens().attentionMask());
            checkText(name, expected, "quickstart_t4.", q4.text(), quick.tokens().attentionMask(), false);
            VlmOutput given = vlm.forward(input(expected, "quickstart.", true), ForwardOptions.allStates());
            checkText(name, expected, "quickstart_t4.", given.text(), quick.tokens().attentionMask(), false);
        }
    }

    /** Patch (row, column) order and, for Qwen2.5-VL, the window order and window lengths, as HF records them. */
    private static void checkLayout(QwenVisionTower tower, long[][] grids, SafetensorsCheckpoint expected) {
        long[] rc = expected.loadLongs("vision.position_ids");
        int[][] got = tower.patchPositions(grids, rc.length / 2);
        for (int i = 0; i < got.length; i++) {
            assertArrayEquals(new long[] {rc[2 * i], rc[2 * i + 1]}, new long[] {got[i][0], got[i][1]}, "patch " + i);
        }
        if (expected.has("vision.window_index")) {
            java.util.List<Integer> idx = new java.util.ArrayList<>();
            java.util.List<Integer> lens = new java.util.ArrayList<>();
            tower.windowOrder(grids, idx, lens);
            assertArrayEquals(expected.loadLongs("vision.window_index"), idx.stream().mapToLong(Integer::longValue).toArray());
            long[] cu = new long[lens.size() + 1];
            for (int i = 0; i < lens.size(); i++) {
                cu[i + 1] = cu[i] + lens.get(i);
            }
            assertArrayEquals(expected.loadLongs("vision.cu_window_seqlens"), cu);
        }
    }

    private static void checkText(String name, SafetensorsCheckpoint expected, String p, HiddenStates hs, long[][] mask,
                                  boolean logits) {
        for (int i = 0; i < hs.numStates(); i++) {
            VisionFixtures.assertCloseMasked(name + " " + p + "hidden_states." + i, expected.loadFloats(p + "hidden_states." + i),
                    hs.state(i), mask, hs.hiddenSize());
        }
        if (logits) {
            VisionFixtures.assertCloseMasked(name + " logits", expected.loadFloats("logits"), hs.logits().orElseThrow(), mask, 512);
        }
    }

    private static void assertPositions(SafetensorsCheckpoint expected, String p, long[][][] got, long[][] mask) {
        long[] want = expected.loadLongs(p + "position_ids");
        int b = mask.length;
        int len = mask[0].length;
        for (int a = 0; a < 3; a++) {
            for (int r = 0; r < b; r++) {
                for (int c = 0; c < len; c++) {
                    if (mask[r][c] == 1) {
                        assertEquals(want[(a * b + r) * len + c], got[a][r][c], p + "position_ids[" + a + "][" + r + "][" + c + "]");
                    }
                }
            }
        }
    }

    private static void checkMap(ImageTokenMap map, VlmInput in, long[] grids) {
        assertEquals(grids.length / 3, map.images().size());
        for (ImageTokenMap.Image im : map.images()) {
            int rows = (int) grids[im.image() * 3 + 1] / 2;
            int cols = (int) grids[im.image() * 3 + 2] / 2;
            assertEquals(rows, im.gridRows());
            assertEquals(cols, im.gridCols());
            assertEquals(rows * cols, im.tokens().size());
            for (int k = 0; k < im.tokens().size(); k++) {
                ImageTokenMap.Token t = im.tokens().get(k);
                assertEquals(508, in.tokens().inputIds()[t.batchRow()][t.column()]);
                assertArrayEquals(new int[] {k / cols, k % cols}, new int[] {t.gridRow(), t.gridCol()});
            }
        }
    }

    /** The fixture's inputs under a prefix; quickstart uses image 0's patch rows. */
    static VlmInput input(SafetensorsCheckpoint expected, String p, boolean explicitT4Positions) {
        String idsName = expected.has(p + "input_ids") ? p + "input_ids" : "input_ids";
        long[] shape = expected.info(idsName).shape();
        int b = (int) shape[0];
        int len = (int) shape[1];
        long[][] ids = VisionFixtures.reshape(expected.loadLongs(idsName), b, len);
        long[][] mask = VisionFixtures.reshape(expected.loadLongs(p + "attention_mask"), b, len);
        long[][] mm = VisionFixtures.reshape(expected.loadLongs(p + "mm_token_type_ids"), b, len);
        long[] g = expected.loadLongs(p + "image_grid_thw");
        long[][] grids = new long[g.length / 3][];
        int patches = 0;
        for (int i = 0; i < grids.length; i++) {
            grids[i] = new long[] {g[3 * i], g[3 * i + 1], g[3 * i + 2]};
            patches += (int) (g[3 * i] * g[3 * i + 1] * g[3 * i + 2]);
        }
        long[] ps = expected.info("pixel_values").shape();
        float[] pix = java.util.Arrays.copyOf(expected.loadFloats("pixel_values"), (int) (patches * ps[1]));
        long[][][] pos = null;
        if (explicitT4Positions) {
            long[] flat = expected.loadLongs("quickstart_t4.position_ids");
            pos = new long[3][b][len];
            for (int a = 0; a < 3; a++) {
                for (int r = 0; r < b; r++) {
                    System.arraycopy(flat, (a * b + r) * len, pos[a][r], 0, len);
                }
            }
        }
        return new VlmInput(new TokenBatch(ids, mask, null), pix, new long[] {patches, ps[1]}, grids, mm, pos);
    }

    @Test
    void gridAndPixelsMustAgree() {
        Path dir = VisionFixtures.folder("qwen2-vl");
        try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, LoadOptions.defaults());
             SafetensorsCheckpoint expected = SafetensorsCheckpoint.openFiles("expected", List.of(dir.resolve("expected.safetensors")))) {
            VlmInput in = input(expected, "", false);
            long[][] big = {{1, 200, 200}, in.imageGridThw()[1]};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vlm.forward(
                    new VlmInput(in.tokens(), in.pixelValues(), in.pixelShape(), big, in.mmTokenTypeIds(), null),
                    ForwardOptions.allStates()));
            assertTrue(e.getMessage().contains("max_pixels") && e.getMessage().contains("image_grid_thw[0]"), e.getMessage());
            long[][] wrong = {{1, 8, 10}, in.imageGridThw()[1]};
            e = assertThrows(IllegalArgumentException.class, () -> vlm.forward(
                    new VlmInput(in.tokens(), in.pixelValues(), in.pixelShape(), wrong, in.mmTokenTypeIds(), null),
                    ForwardOptions.allStates()));
            assertTrue(e.getMessage().contains("pixel_values has 156 patch rows"), e.getMessage());
            long[][] one = {in.imageGridThw()[0]};
            e = assertThrows(IllegalArgumentException.class, () -> vlm.forward(
                    new VlmInput(in.tokens(), java.util.Arrays.copyOf(in.pixelValues(), 96 * 1176), new long[] {96, 1176}, one,
                            in.mmTokenTypeIds(), null), ForwardOptions.allStates()));
            assertTrue(e.getMessage().contains("image"), e.getMessage());
        }
    }
}
