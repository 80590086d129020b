package org.latentlens.vision;

import java.util.List;
import org.latentlens.model.TokenBatch;
import org.latentlens.vision.image.PixelValues;
import org.latentlens.vision.model.VlmInput;

/**
 * What {@link VlmProcessor} returns: the prompt texts as rendered, token ids and mask with every image
 * placeholder expanded to the image's visual tokens, the pixel values, and per image its patch grid and
 * token count.
 *
 * @param prompts the rendered prompt of each batch row (before expansion)
 * @param tokens input_ids and attention_mask
 * @param pixels pixel_values (and image_grid_thw for Qwen2-VL)
 * @param mmTokenTypeIds 1 at image placeholder tokens, 0 elsewhere ([B][L])
 * @param tokensPerImage visual tokens of each image, in image order
 * @param gridRows rows of each image's merged grid (one visual token per cell)
 * @param gridCols columns of each image's merged grid
 */
public record VlmInputs(List<String> prompts, TokenBatch tokens, PixelValues pixels, long[][] mmTokenTypeIds,
                        int[] tokensPerImage, int[] gridRows, int[] gridCols) {

    /** @return the inputs of a VLM forward ({@code image_grid_thw} only when the processor has grids) */
    public VlmInput toVlmInput() {
        long[][] grids = null;
        if (!pixels.gridThw().isEmpty()) {
            grids = new long[pixels.gridThw().size()][3];
            for (int i = 0; i < grids.length; i++) {
                for (int j = 0; j < 3; j++) {
                    grids[i][j] = pixels.gridThw().get(i)[j];
                }
            }
        }
        return new VlmInput(tokens, pixels.data(), pixels.shape(), grids, grids == null ? null : mmTokenTypeIds, null);
    }
}
