package org.latentlens.vision.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.HiddenStates;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TokenBatch;
import org.latentlens.model.TransformerModel;

/**
 * Qwen2-VL and Qwen2.5-VL ({@code Qwen2VLForConditionalGeneration}, {@code Qwen2_5_VLForConditionalGeneration}):
 * the Qwen vision transformer and merger, the merged tokens scattered into the {@code <|image_pad|>}
 * positions, and the Qwen2 language model of the text runtime with mRoPE positions from
 * {@link RopeIndex} (transformers 5.x semantics by default, 4.x selectable) or given explicitly.
 */
public final class QwenVlModel implements VisionLanguageModel {
    private final SafetensorsCheckpoint ckpt;
    private final NDManager manager;
    private final QwenVisionTower tower;
    private final TransformerModel lm;
    private final long imageToken;
    private final long visionStart;
    private final long maxPixels;
    private RopeIndex.Semantics semantics = RopeIndex.Semantics.V5;

    private QwenVlModel(Path folder, HfConfig config, SafetensorsCheckpoint ckpt, LoadOptions options) {
        this.ckpt = ckpt;
        boolean v25 = config.json().path("model_type").asText("").equals("qwen2_5_vl");
        manager = NDManager.newBaseManager(ModelLoader.device(options.device()), "PyTorch");
        TransformerModel text = null;
        try {
            tower = new QwenVisionTower(VlmParts.visionConfig(config), v25, ckpt, manager);
            imageToken = VlmParts.requireLong(config, "image_token_id");
            visionStart = VlmParts.requireLong(config, "vision_start_token_id");
            text = VlmParts.languageModel(folder, config, ckpt, options);
            if (text.hiddenSize() != tower.outDim()) {
                throw new org.latentlens.io.ConfigException(config.source() + ": the vision merger outputs " + tower.outDim()
                        + " values per token but the language model's hidden_size is " + text.hiddenSize());
            }
            maxPixels = maxPixels(folder);
            lm = text;
        } catch (RuntimeException e) {
            if (text != null) {
                text.close();
            }
            manager.close();
            throw e;
        }
    }

    /**
     * @param folder a Qwen2-VL / Qwen2.5-VL folder
     * @param options load options
     * @return the model
     */
    public static QwenVlModel load(Path folder, LoadOptions options) {
        HfConfig c = HfConfig.read(folder.resolve(options.configFile()));
        SafetensorsCheckpoint ckpt = VlmParts.checkpoint(folder, options);
        try {
            return new QwenVlModel(folder, c, ckpt, options);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    /** The processor's max_pixels (the largest image the model was set up for), or 0 when unknown. */
    private static long maxPixels(Path folder) {
        Path p = folder.resolve("preprocessor_config.json");
        if (!Files.isRegularFile(p)) {
            return 0;
        }
        JsonNode n = HfConfig.read(p).json();
        if (n.has("max_pixels")) {
            return n.get("max_pixels").asLong();
        }
        JsonNode size = n.get("size");
        return size != null && size.has("longest_edge") ? size.get("longest_edge").asLong() : 0;
    }

    /**
     * @param s transformers 5.x (default) or 4.x rules for positions computed from the prompt
     * @return this model
     */
    public QwenVlModel withRopeSemantics(RopeIndex.Semantics s) {
        this.semantics = s;
        return this;
    }

    /** @return the vision tower (for tests and the token map) */
    QwenVisionTower tower() {
        return tower;
    }

    @Override
    public Model languageModel() {
        return lm;
    }

    @Override
    public long imageTokenId() {
        return imageToken;
    }

    @Override
    public VlmOutput forward(VlmInput input, ForwardOptions options) {
        long[][] grids = input.imageGridThw();
        if (grids == null) {
            throw new IllegalArgumentException("image_grid_thw is required for " + lm.modelType()
                    + ": the (t, h, w) patch grid of each image");
        }
        int patch = tower.patchSize();
        for (int i = 0; i < grids.length; i++) {
            long px = grids[i].length == 3 ? grids[i][1] * grids[i][2] * patch * patch : 0;
            if (maxPixels > 0 && px > maxPixels) {
                throw new IllegalArgumentException("image_grid_thw[" + i + "] = " + Arrays.toString(grids[i]) + " is "
                        + px + " pixels, more than the model's max_pixels " + maxPixels + " (preprocessor_config.json)");
            }
        }
        TokenBatch tb = input.tokens();
        int merge = tower.mergeSize();
        QwenVisionTower.Output vo;
        try (NDManager fwd = manager.newSubManager()) {
            vo = tower.encode(input.pixelValues(), input.pixelShape(), grids, fwd);
        }
        int[] counts = new int[grids.length];
        int[] rows = new int[grids.length];
        int[] cols = new int[grids.length];
        for (int i = 0; i < grids.length; i++) {
            rows[i] = (int) grids[i][1] / merge;
            cols[i] = (int) grids[i][2] / merge;
            counts[i] = (int) grids[i][0] * rows[i] * cols[i];
        }
        ImageTokenMap map = ImageTokenMap.fromPlaceholders(tb.inputIds(), tb.attentionMask(), imageToken, counts, rows, cols, 0);
        long[][][] pos = input.positionIds() != null ? input.positionIds()
                : RopeIndex.compute(tb.inputIds(), tb.attentionMask(), input.mmTokenTypeIds(), grids, merge, imageToken,
                visionStart, semantics);
        HiddenStates hs = lm.hiddenStates(tb, VlmParts.withFeatures(map, vo.merged(), lm.hiddenSize(), tb.seqLen(), options),
                pos);
        return new VlmOutput(hs, vo.hiddenStates(), new long[] {vo.patches(), vo.width()}, vo.merged(),
                new long[] {vo.mergedTokens(), lm.hiddenSize()}, "image_embeds", map, pos);
    }

    @Override
    public void close() {
        lm.close();
        manager.close();
        ckpt.close();
    }
}
