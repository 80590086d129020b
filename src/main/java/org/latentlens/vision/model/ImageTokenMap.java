package org.latentlens.vision.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each image's visual tokens sit in the token batch and which patch cell of the image each one
 * stands for, so a result per visual token (its nearest neighbours) can be drawn back on the image.
 *
 * <p>Cells are in the model's merged grid: LLaVA's patch grid (one token per 14x14 patch), Qwen2-VL's
 * grid after the 2x2 merge (one token per 28x28 block). A token that stands for no cell (a kept CLS
 * token) has row and column -1.
 */
public final class ImageTokenMap {
    /**
     * One visual token.
     *
     * @param image index of the image in the batch's image order
     * @param batchRow row of the token batch
     * @param column token column in that row
     * @param gridRow row of its cell in the merged grid (-1 for none)
     * @param gridCol column of its cell (-1 for none)
     */
    public record Token(int image, int batchRow, int column, int gridRow, int gridCol) {
    }

    /**
     * One image.
     *
     * @param image index in the batch's image order
     * @param batchRow the token-batch row that holds it
     * @param gridRows rows of its merged grid
     * @param gridCols columns of its merged grid
     * @param tokens its visual tokens in sequence order
     */
    public record Image(int image, int batchRow, int gridRows, int gridCols, List<Token> tokens) {
    }

    private final List<Image> images;

    /** @param images per image, in image order */
    public ImageTokenMap(List<Image> images) {
        this.images = List.copyOf(images);
    }

    /** @return every image */
    public List<Image> images() {
        return images;
    }

    /**
     * Builds the map by walking the placeholder tokens in batch order (row by row, column by column), as
     * HuggingFace scatters image features: the k-th placeholder takes the k-th feature row.
     *
     * @param inputIds [B][L]
     * @param attentionMask [B][L]
     * @param placeholderId the image token id
     * @param tokensPerImage visual tokens of each image
     * @param gridRows merged-grid rows of each image
     * @param gridCols merged-grid columns of each image
     * @param leadingNonGrid tokens at the start of each image that stand for no cell (a kept CLS: 1); negative
     *     when leading cells have no token (a SigLIP tower under LLaVA's "default" strategy drops patch 0: -1)
     * @return the map
     * @throws IllegalArgumentException when the placeholder count differs from the images' tokens, or an
     *     image's tokens straddle two rows
     */
    public static ImageTokenMap fromPlaceholders(long[][] inputIds, long[][] attentionMask, long placeholderId,
                                                 int[] tokensPerImage, int[] gridRows, int[] gridCols, int leadingNonGrid) {
        int want = 0;
        for (int n : tokensPerImage) {
            want += n;
        }
        int have = 0;
        for (int b = 0; b < inputIds.length; b++) {
            for (int c = 0; c < inputIds[b].length; c++) {
                if (inputIds[b][c] == placeholderId && attentionMask[b][c] == 1) {
                    have++;
                }
            }
        }
        if (have != want) {
            throw new IllegalArgumentException("input_ids holds " + have + " image placeholder tokens (id " + placeholderId
                    + ") but the " + tokensPerImage.length + " image(s) give " + want + " visual tokens: expand each image "
                    + "placeholder to its token count (the processor does) and pass one image per placeholder group");
        }
        List<Image> out = new ArrayList<>();
        int img = 0;
        int k = 0;
        List<Token> cur = new ArrayList<>();
        int curRow = -1;
        for (int b = 0; b < inputIds.length && img < tokensPerImage.length; b++) {
            for (int c = 0; c < inputIds[b].length && img < tokensPerImage.length; c++) {
                if (inputIds[b][c] != placeholderId || attentionMask[b][c] != 1) {
                    continue;
                }
                if (k == 0) {
                    curRow = b;
                } else if (b != curRow) {
                    throw new IllegalArgumentException("image " + img + " has " + tokensPerImage[img]
                            + " visual tokens but input_ids row " + curRow + " holds only " + k + " of them");
                }
                int cell = k - leadingNonGrid;
                int r = cell < 0 ? -1 : cell / gridCols[img];
                int col = cell < 0 ? -1 : cell % gridCols[img];
                cur.add(new Token(img, b, c, r, col));
                k++;
                if (k == tokensPerImage[img]) {
                    out.add(new Image(img, curRow, gridRows[img], gridCols[img], Collections.unmodifiableList(cur)));
                    cur = new ArrayList<>();
                    k = 0;
                    img++;
                }
            }
        }
        return new ImageTokenMap(out);
    }

    /**
     * @param batchRow token-batch row
     * @param column token column
     * @return the visual token there, or null for a text token
     */
    public Token at(int batchRow, int column) {
        for (Image im : images) {
            if (im.batchRow() != batchRow) {
                continue;
            }
            for (Token t : im.tokens()) {
                if (t.column() == column) {
                    return t;
                }
            }
        }
        return null;
    }
}
