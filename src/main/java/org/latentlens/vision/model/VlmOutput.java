package org.latentlens.vision.model;

import org.latentlens.model.HiddenStates;

/**
 * One VLM forward's outputs: the language model's states (and logits) with the image features scattered
 * in, the vision tower's hidden states, the projected image features, and where each visual token sits.
 *
 * @param text language-model hidden states (index 0 = input embeddings with image rows scattered in)
 * @param visionHiddenStates the vision tower's hidden states, each flattened
 * @param visionShape the shape of one vision hidden state ([images, tokens, D] or [patches, D])
 * @param imageFeatures what replaced the placeholder tokens, flattened
 * @param imageFeaturesShape its shape ([images, tokens, D] for LLaVA, [tokens, D] for Qwen2-VL)
 * @param imageFeaturesName HuggingFace's name for it ({@code image_features} or {@code image_embeds})
 * @param tokenMap visual tokens and their grid cells
 * @param positionIds the 3-D position ids the language model used [3][B][L], or null for 1-D positions
 */
public record VlmOutput(HiddenStates text, float[][] visionHiddenStates, long[] visionShape, float[] imageFeatures,
                        long[] imageFeaturesShape, String imageFeaturesName, ImageTokenMap tokenMap,
                        long[][][] positionIds) {
}
