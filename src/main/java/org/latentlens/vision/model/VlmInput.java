package org.latentlens.vision.model;

import org.latentlens.model.TokenBatch;

/**
 * One VLM forward's inputs, as the HuggingFace processors return them.
 *
 * @param tokens input_ids and attention_mask (image placeholders already expanded to one token per visual token)
 * @param pixelValues pixel_values, flattened
 * @param pixelShape its shape: [images, 3, H, W] (LLaVA) or [patches, 3*T*P*P] (Qwen2-VL)
 * @param imageGridThw image_grid_thw [images][3] (Qwen2-VL), or null
 * @param mmTokenTypeIds mm_token_type_ids [B][L] (Qwen2-VL, transformers 5.x), or null
 * @param positionIds explicit position_ids [3][B][L] (Qwen2-VL), or null to compute them
 */
public record VlmInput(TokenBatch tokens, float[] pixelValues, long[] pixelShape, long[][] imageGridThw,
                       long[][] mmTokenTypeIds, long[][][] positionIds) {
}
