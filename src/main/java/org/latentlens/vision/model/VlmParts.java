package org.latentlens.vision.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.io.SafetensorsCheckpoint;
import org.latentlens.io.WeightSource;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.ModelLoader;
import org.latentlens.model.TransformerModel;
import org.latentlens.model.family.Families;

/** What every VLM loader shares: the checkpoint, the nested vision config, the language model. */
final class VlmParts {
    private VlmParts() {
    }

    /** @return the folder's checkpoint (or the weights file the options name) */
    static SafetensorsCheckpoint checkpoint(Path folder, LoadOptions options) {
        if (options.weightsFile() == null) {
            return SafetensorsCheckpoint.openFolder(folder);
        }
        Path f = folder.resolve(options.weightsFile());
        return f.getFileName().toString().endsWith(".index.json") ? SafetensorsCheckpoint.openIndex(f)
                : SafetensorsCheckpoint.openFiles(f.toString(), List.of(f));
    }

    /**
     * @param config the VLM config
     * @return its {@code vision_config} as a config of its own
     * @throws ConfigException when absent
     */
    static HfConfig visionConfig(HfConfig config) {
        JsonNode vc = config.json().get("vision_config");
        if (vc == null || !vc.isObject()) {
            throw new ConfigException(config.source() + " has no \"vision_config\" object");
        }
        if (!vc.hasNonNull("model_type")) {
            // The Hub's Qwen2-VL configs carry a vision_config without model_type, and HF's LlavaConfig
            // reads a type-less one as CLIP: fill in what HuggingFace would assume.
            String parent = config.json().path("model_type").asText("");
            String assumed = switch (parent) {
                case "qwen2_vl" -> "qwen2_vl";
                case "qwen2_5_vl" -> "qwen2_5_vl";
                case "llava" -> "clip_vision_model";
                default -> null;
            };
            if (assumed != null) {
                vc = ((com.fasterxml.jackson.databind.node.ObjectNode) vc.deepCopy()).put("model_type", assumed);
            }
        }
        return HfConfig.parse(vc.toString(), config.source() + " (vision_config)");
    }

    /**
     * The language model over the shared checkpoint (it resolves {@code language_model.model.},
     * {@code model.language_model.} ... itself); it does not close the checkpoint.
     */
    static TransformerModel languageModel(Path folder, HfConfig config, WeightSource ckpt, LoadOptions options) {
        WeightSource view = PrefixedWeights.unowned(ckpt);
        return (TransformerModel) ModelLoader.assemble(folder.toString(), Families.describe(config), view, folder, options);
    }

    /**
     * @param config the VLM config
     * @param keys the key and its aliases
     * @return the top-level integer
     */
    static long requireLong(HfConfig config, String... keys) {
        for (String k : keys) {
            JsonNode v = config.json().get(k);
            if (v != null && v.canConvertToLong()) {
                return v.asLong();
            }
        }
        throw new ConfigException(config.source() + " is missing \"" + keys[0] + "\"");
    }

    /**
     * Scatters feature rows into the placeholder positions of the map, in its order.
     *
     * @param map visual tokens
     * @param features [tokens, D] flattened, in image order
     * @param d width
     * @param base options to extend
     * @return options with the embedding override
     */
    static ForwardOptions withFeatures(ImageTokenMap map, float[] features, int d, int seqLen, ForwardOptions base) {
        Map<Integer, Integer> rowOf = new HashMap<>();
        int k = 0;
        for (ImageTokenMap.Image im : map.images()) {
            for (ImageTokenMap.Token t : im.tokens()) {
                rowOf.put(t.batchRow() * seqLen + t.column(), k++);
            }
        }
        ForwardOptions.Builder b = ForwardOptions.builder().optLogits(base.logits()).optEmbeddingOverride((row, col) -> {
            Integer r = rowOf.get(row * seqLen + col);
            return r == null ? null : java.util.Arrays.copyOfRange(features, r * d, (r + 1) * d);
        });
        if (base.states() != null) {
            b.optStates(base.states());
        }
        return b.build();
    }
}
