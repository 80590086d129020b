package org.latentlens.vision;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.latentlens.index.ContextualIndex;
import org.latentlens.index.Neighbor;
import org.latentlens.model.HiddenStates;
import org.latentlens.render.PatchOverlay;
import org.latentlens.vision.image.ImageProcessorConfig;
import org.latentlens.vision.image.RgbImage;
import org.latentlens.vision.model.ImageTokenMap;
import org.latentlens.vision.model.VlmOutput;

/**
 * LatentLens on an image: the hidden state of every visual token of one image at one language-model
 * layer, searched in a contextual index (merged over the index's layers), laid out on the image's merged
 * patch grid so it can be drawn with {@link PatchOverlay}.
 *
 * @param image index of the image in the batch
 * @param layer the hidden-state index read (0 = input embeddings)
 * @param rows merged-grid rows
 * @param cols merged-grid columns
 * @param tokenPositions per cell (row-major), the token column of its visual token in the batch row
 * @param neighbours per cell (row-major), its neighbours, most similar first
 */
public record PatchNeighbours(int image, int layer, int rows, int cols, int[] tokenPositions,
                              List<List<Neighbor>> neighbours) {

    /**
     * Searches every visual token of one image.
     *
     * @param output the VLM forward (its hidden states must include {@code layer})
     * @param image index of the image in the batch
     * @param layer hidden-state index to read
     * @param index the contextual index (same hidden size as the language model)
     * @param topK neighbours per patch
     * @param indexLayers index layers to search and merge (none = all)
     * @return the neighbours of every cell of the image's grid
     * @throws IllegalArgumentException when the layer was not computed, the image does not exist, or the
     *     index's hidden size differs from the model's
     */
    public static PatchNeighbours search(VlmOutput output, int image, int layer, ContextualIndex index, int topK,
                                         int... indexLayers) {
        HiddenStates hs = output.text();
        if (!hs.has(layer)) {
            throw new IllegalArgumentException("hidden state " + layer + " was not computed: the model has states 0.."
                    + (hs.numStates() - 1) + " and the forward kept only some; request it in ForwardOptions.optStates");
        }
        if (index.hiddenSize() != hs.hiddenSize()) {
            throw new IllegalArgumentException("the index has hidden size " + index.hiddenSize() + " but the model's "
                    + "language model has " + hs.hiddenSize() + ": build the index with the same model");
        }
        List<ImageTokenMap.Image> images = output.tokenMap().images();
        if (image < 0 || image >= images.size()) {
            throw new IllegalArgumentException("image " + image + " is not in the batch; it holds " + images.size());
        }
        ImageTokenMap.Image im = images.get(image);
        int rows = im.gridRows();
        int cols = im.gridCols();
        float[][] queries = new float[rows * cols][];
        int[] positions = new int[rows * cols];
        java.util.Arrays.fill(positions, -1);
        for (ImageTokenMap.Token t : im.tokens()) {
            if (t.gridRow() < 0) {
                continue; // a kept CLS stands for no cell
            }
            int cell = t.gridRow() * cols + t.gridCol();
            queries[cell] = hs.vector(layer, t.batchRow(), t.column());
            positions[cell] = t.column();
        }
        List<Integer> present = new ArrayList<>();
        for (int c = 0; c < queries.length; c++) {
            if (queries[c] != null) {
                present.add(c);
            }
        }
        float[][] q = new float[present.size()][];
        for (int i = 0; i < q.length; i++) {
            q[i] = queries[present.get(i)];
        }
        List<List<Neighbor>> found = index.search(q, topK, indexLayers);
        List<List<Neighbor>> perCell = new ArrayList<>();
        for (int c = 0; c < queries.length; c++) {
            perCell.add(List.of());
        }
        for (int i = 0; i < q.length; i++) {
            perCell.set(present.get(i), found.get(i));
        }
        return new PatchNeighbours(image, layer, rows, cols, positions, List.copyOf(perCell));
    }

    /**
     * @param picture the region of the image the model saw ({@link #seenRegion})
     * @param title the figure's caption
     * @param topK neighbours listed on hover
     * @return the overlay
     */
    public PatchOverlay overlay(BufferedImage picture, String title, int topK) {
        // at least 640 px wide: coarse VLM grids (4 x 6) would otherwise give a thumbnail-sized figure
        return PatchOverlay.builder(picture, rows, cols).neighbours(neighbours).title(title).topK(topK)
                .displayWidth(Math.min(900, Math.max(640, cols * 72))).build();
    }

    /**
     * The part of the original image the model saw, at the original resolution: the centre crop of a
     * shortest-edge resize + crop processor (CLIP, LLaVA) mapped back to original pixels, else the whole
     * image (Qwen2-VL's smart_resize and fixed-size resizes keep all of it).
     *
     * @param image the original image
     * @param config the model's image-processor settings
     * @return the region as an RGB picture for {@link PatchOverlay}
     */
    public static BufferedImage seenRegion(RgbImage image, ImageProcessorConfig config) {
        RgbImage region = image;
        if (config.doCenterCrop && config.doResize && config.shortestEdge > 0) {
            double scale = config.shortestEdge / (double) Math.min(image.width(), image.height());
            int cw = Math.min(image.width(), (int) Math.round(config.cropWidth / scale));
            int ch = Math.min(image.height(), (int) Math.round(config.cropHeight / scale));
            region = image.crop((image.height() - ch) / 2, (image.width() - cw) / 2, ch, cw);
        }
        return toBufferedImage(region);
    }

    /**
     * @param image an RGB image
     * @return the same pixels as a {@link BufferedImage}
     */
    public static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        byte[] hwc = image.hwc();
        int[] px = new int[image.width() * image.height()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (hwc[3 * i] & 0xff) << 16 | (hwc[3 * i + 1] & 0xff) << 8 | (hwc[3 * i + 2] & 0xff);
        }
        out.setRGB(0, 0, image.width(), image.height(), px, 0, image.width());
        return out;
    }
}
