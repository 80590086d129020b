package org.latentlens.vision.model;

import java.nio.file.Path;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.model.ForwardOptions;
import org.latentlens.model.LoadOptions;
import org.latentlens.model.Model;

/**
 * A vision-language model: a vision tower and projector whose features replace the image placeholder
 * tokens of a language model from the text runtime, exactly as HuggingFace does.
 */
public interface VisionLanguageModel extends AutoCloseable {
    /** The VLM {@code model_type} values this runtime supports. */
    java.util.List<String> SUPPORTED = java.util.List.of("llava", "qwen2_vl", "qwen2_5_vl");

    /** @return the language model (for its tokenizer, sizes, LM head) */
    Model languageModel();

    /** @return the token id of the image placeholder */
    long imageTokenId();

    /**
     * @param input ids, mask, pixel values and (Qwen2-VL) grids
     * @param options which LM states, whether logits (the embedding override is the model's own)
     * @return every output
     * @throws IllegalArgumentException naming the tensor when the inputs disagree with each other or the model
     */
    VlmOutput forward(VlmInput input, ForwardOptions options);

    @Override
    void close();

    /**
     * @param folder model folder
     * @param options load options
     * @return the VLM its config describes
     * @throws ConfigException for an unsupported VLM or vision model type
     */
    static VisionLanguageModel load(Path folder, LoadOptions options) {
        HfConfig c = HfConfig.read(folder.resolve(options.configFile()));
        String type = c.json().path("model_type").asText("");
        return switch (type) {
            case "llava" -> LlavaModel.load(folder, options);
            case "qwen2_vl", "qwen2_5_vl" -> QwenVlModel.load(folder, options);
            default -> throw new ConfigException(c.source() + ": unsupported vision-language model_type \"" + type
                    + "\"; supported: " + SUPPORTED);
        };
    }
}
