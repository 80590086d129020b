package org.latentlens.vision.model;

import java.util.Optional;

/**
 * What a vision tower returns for a batch of images, in HuggingFace's layout.
 *
 * @param batch images (or 1 for a packed Qwen-style tower, whose tokens are all images concatenated)
 * @param tokens tokens per image (or the total for a packed tower)
 * @param hiddenSize width D
 * @param hiddenStates every hidden state [batch, tokens, D], index 0 = input of block 0 (HF {@code hidden_states})
 * @param lastHiddenState HF {@code last_hidden_state} [batch, tokens, D] (after the final norm when the model has one)
 * @param pooler HF {@code pooler_output} [batch, D], or null when the model has none
 */
public record VisionOutput(int batch, int tokens, int hiddenSize, float[][] hiddenStates, float[] lastHiddenState,
                           float[] pooler) {

    /** @return the pooled output, if the model defines one */
    public Optional<float[]> poolerOutput() {
        return Optional.ofNullable(pooler);
    }
}
