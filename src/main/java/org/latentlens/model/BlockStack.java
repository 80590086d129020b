package org.latentlens.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.latentlens.io.WeightSource;

/**
 * The shared transformer blocks of a {@link Blueprint} as a stack another model can drive layer by layer:
 * vision towers (CLIP, SigLIP, DINOv2, the Qwen2-VL ViT) run exactly the blocks of the text runtime
 * (same attention, MLP, norms), only their embeddings and heads differ. Weights are read the way
 * {@link TransformerModel} reads them; names are the blueprint's templates, resolved against the given
 * weight source (pass a view under the tower's prefix).
 *
 * <p>Tokens are packed [T, D]; which tokens may attend to which is given by {@link Segments}: tokens
 * attend within their own segment only (one image, or one attention window), bidirectionally or causally
 * as the blueprint says.
 */
public final class BlockStack {
    private final Blueprint bp;
    private final WeightLoader loader;
    private final List<TransformerBlock> blocks = new ArrayList<>();

    private BlockStack(Blueprint bp, WeightLoader loader) {
        this.bp = bp;
        this.loader = loader;
    }

    /**
     * @param bp the blocks' blueprint (sizes, names, norms, activation, biases)
     * @param weights the weights, named as the blueprint's templates say
     * @param manager owner of the loaded weights (close it to free them)
     * @param layerScale1 template ({@code {i}}) of a per-channel scale of the attention output, or null
     * @param layerScale2 template of a per-channel scale of the MLP output, or null
     * @return the stack
     * @throws org.latentlens.io.MissingTensorException naming a missing weight
     * @throws org.latentlens.io.TensorFormatException naming a mis-shaped weight
     */
    public static BlockStack load(Blueprint bp, WeightSource weights, NDManager manager, String layerScale1,
                                  String layerScale2) {
        BlockStack s = new BlockStack(bp, new WeightLoader(bp, weights, manager));
        List<TransformerBlock> loaded = s.loader.loadBlocks();
        for (int i = 0; i < bp.numLayers(); i++) {
            TransformerBlock b = loaded.get(i);
            if (layerScale1 != null) {
                WeightResolver r = s.loader.resolver();
                b.setLayerScale(s.loader.vector(r.require(WeightNames.at(layerScale1, i)), bp.hiddenSize()),
                        s.loader.vector(r.require(WeightNames.at(layerScale2, i)), bp.hiddenSize()));
            }
            s.blocks.add(b);
        }
        return s;
    }

    /** @return the blueprint */
    public Blueprint blueprint() {
        return bp;
    }

    /** @return the number of blocks */
    public int size() {
        return blocks.size();
    }

    /**
     * Runs one block.
     *
     * @param layer block index
     * @param x packed residual stream [T, D]
     * @param segments which tokens attend to which
     * @param cos rotary cos [T, 1, rotaryDim], or null without rotary positions
     * @param sin rotary sin [T, 1, rotaryDim], or null
     * @return the block's output [T, D]
     */
    public NDArray forward(int layer, NDArray x, Segments segments, NDArray cos, NDArray sin) {
        return blocks.get(layer).forward(x, segments.batch, cos == null ? null : new NDArray[] {cos, sin});
    }

    /**
     * A norm of the blueprint's kind (LayerNorm or RMSNorm, its epsilon) over other weights of the same
     * model: CLIP's pre/post layer norms, a merger's norm.
     *
     * @param prefix weight name without {@code .weight} / {@code .bias}
     * @param dim normalised width
     * @return the norm as a function
     */
    public UnaryOperator<NDArray> norm(String prefix, int dim) {
        Norm n = loader.norm(prefix, dim);
        return n::apply;
    }

    /**
     * How packed tokens group into independent attention segments (images or windows), in packing order:
     * segment 0's tokens first.
     */
    public static final class Segments {
        final PackedBatch batch;

        private Segments(PackedBatch batch) {
            this.batch = batch;
        }

        /**
         * @param lengths tokens per segment, in order; their sum is the packed length T
         * @param manager owner of the masks (a per-forward scope)
         * @return the layout
         * @throws IllegalArgumentException for an empty or non-positive segment
         */
        public static Segments of(int[] lengths, NDManager manager) {
            int max = 0;
            for (int l : lengths) {
                if (l <= 0) {
                    throw new IllegalArgumentException("attention segment lengths must be positive: "
                            + java.util.Arrays.toString(lengths));
                }
                max = Math.max(max, l);
            }
            if (lengths.length == 0) {
                throw new IllegalArgumentException("no attention segments");
            }
            long[][] ids = new long[lengths.length][max];
            long[][] mask = new long[lengths.length][max];
            for (int s = 0; s < lengths.length; s++) {
                java.util.Arrays.fill(mask[s], 0, lengths[s], 1L);
            }
            return new Segments(new PackedBatch(new TokenBatch(ids, mask, null), manager));
        }

        /** @return total tokens */
        public int tokens() {
            return batch.tokens;
        }
    }
}
