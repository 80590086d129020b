package org.latentlens.cli;

import java.util.List;
import java.util.Locale;

/**
 * The published shape of a model that {@code bench make-model} can imitate with random weights: the
 * language model's widths and, for a VLM, its vision transformer's. Only shapes matter for throughput,
 * so each entry copies the numbers of a real checkpoint's {@code config.json}.
 *
 * @param name the name on the command line
 * @param modelType the {@code model_type} to write ({@code qwen2}, {@code qwen2_vl}, {@code qwen2_5_vl})
 * @param text the language model
 * @param vision the vision transformer, or {@code null} for a text model
 */
record BenchModelShape(String name, String modelType, Text text, Vision vision) {

    /**
     * @param hidden hidden_size
     * @param layers num_hidden_layers
     * @param heads num_attention_heads
     * @param kvHeads num_key_value_heads
     * @param intermediate intermediate_size
     * @param vocab vocab_size
     * @param maxPositions max_position_embeddings
     */
    record Text(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab, int maxPositions) {
        Text withLayers(int n) {
            return new Text(hidden, n, heads, kvHeads, intermediate, vocab, maxPositions);
        }
    }

    /**
     * @param v25 whether this is Qwen2.5-VL's tower (RMSNorm, SwiGLU, window attention) rather than Qwen2-VL's
     * @param depth number of blocks
     * @param width the blocks' width (Qwen2-VL's embed_dim, Qwen2.5-VL's hidden_size)
     * @param heads attention heads
     * @param intermediate MLP width
     * @param fullAttentionBlocks Qwen2.5-VL's fullatt_block_indexes (the other blocks attend within windows)
     */
    record Vision(boolean v25, int depth, int width, int heads, int intermediate, List<Integer> fullAttentionBlocks) {
        Vision withDepth(int n) {
            return new Vision(v25, n, width, heads, intermediate, fullAttentionBlocks.stream().filter(i -> i < n).toList());
        }
    }

    /** Qwen2.5-0.5B (tied embeddings). */
    static final BenchModelShape QWEN2_5_0_5B = new BenchModelShape("qwen2.5-0.5b", "qwen2",
            new Text(896, 24, 14, 2, 4864, 151936, 32768), null);

    /** Qwen2-VL-2B: a 32-block, 1280-wide ViT with LayerNorm and quick_gelu, and a 1.5B language model. */
    static final BenchModelShape QWEN2_VL_2B = new BenchModelShape("qwen2-vl-2b", "qwen2_vl",
            new Text(1536, 28, 12, 2, 8960, 151936, 32768),
            new Vision(false, 32, 1280, 16, 5120, List.of()));

    /** Qwen2.5-VL-3B: a 32-block windowed ViT (full attention in blocks 7, 15, 23, 31) and a 3B language model. */
    static final BenchModelShape QWEN2_5_VL_3B = new BenchModelShape("qwen2.5-vl-3b", "qwen2_5_vl",
            new Text(2048, 36, 16, 2, 11008, 151936, 128000),
            new Vision(true, 32, 1280, 16, 3420, List.of(7, 15, 23, 31)));

    /** Every shape, in the order the help text lists them. */
    static final List<BenchModelShape> ALL = List.of(QWEN2_5_0_5B, QWEN2_VL_2B, QWEN2_5_VL_3B);

    /**
     * @param name a shape's name, case-insensitive
     * @return the shape
     * @throws IllegalArgumentException naming the known shapes
     */
    static BenchModelShape named(String name) {
        for (BenchModelShape s : ALL) {
            if (s.name.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown shape \"" + name + "\"; known: "
                + String.join(", ", ALL.stream().map(BenchModelShape::name).toList()));
    }

    /**
     * @param textLayers language-model layers, or 0 to keep the shape's
     * @param visionDepth vision blocks, or 0 to keep the shape's
     * @return this shape, shortened (for quick runs and tests)
     */
    BenchModelShape truncated(int textLayers, int visionDepth) {
        Text t = textLayers > 0 ? text.withLayers(textLayers) : text;
        Vision v = vision != null && visionDepth > 0 ? vision.withDepth(visionDepth) : vision;
        return new BenchModelShape(name, modelType, t, v);
    }

    /** @return the number of parameters the checkpoint holds (tied embeddings counted once) */
    long parameters() {
        long h = text.hidden;
        long kv = (long) text.kvHeads * (h / text.heads);
        long perLayer = h * h + 2 * h * kv + (h + 2 * kv) + h * h + 3 * h * text.intermediate + 2 * h;
        long n = (long) text.vocab * h + text.layers * perLayer + h;
        if (vision != null) {
            long w = vision.width;
            long mlp = vision.v25 ? 3 * w * vision.intermediate + 2 * vision.intermediate + w : 2 * w * vision.intermediate + vision.intermediate + w;
            long norms = vision.v25 ? 2 * w : 4 * w;
            long block = 3 * w * w + 3 * w + w * w + w + mlp + norms;
            long ctx = 4 * w;
            long merger = (vision.v25 ? w : 2 * w) + ctx * ctx + ctx + h * ctx + h;
            n += w * 3 * 2 * 14 * 14 + vision.depth * block + merger;
        }
        return n;
    }
}
