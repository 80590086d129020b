package org.latentlens.vision.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.latentlens.io.ConfigException;
import org.latentlens.io.HfConfig;
import org.latentlens.io.WeightSource;
import org.latentlens.model.Activation;
import org.latentlens.model.BlockStack;
import org.latentlens.model.Blueprint;
import org.latentlens.model.NormKind;
import org.latentlens.model.NormPlacement;
import org.latentlens.model.RopeSpec;
import org.latentlens.model.WeightNames;
import org.latentlens.model.family.BlueprintBuilder;

/**
 * The Qwen2-VL / Qwen2.5-VL vision transformer: the patch Conv3d as a matrix product over the processor's
 * flattened patches, 2-D rotary positions (patch row, patch column), the shared blocks with attention
 * kept inside each image (and, for Qwen2.5-VL, inside 4x4-token windows except in the full-attention
 * blocks, the sequence permuted into window order and back), and the 2x2 patch merger.
 */
public final class QwenVisionTower {
    private static final List<String> PREFIXES = List.of("visual.", "model.visual.");

    private final boolean v25;
    private final Blueprint bp;
    private final BlockStack blocks;
    private final int patch;
    private final int temporal;
    private final int merge;
    private final int outDim;
    private final int windowTokens;
    private final boolean[] fullAttention;
    private final float[] invFreq;
    private final NDArray patchW;
    private final UnaryOperator<NDArray> mergerNorm;
    private final NDArray m0W;
    private final NDArray m0B;
    private final NDArray m2W;
    private final NDArray m2B;

    /**
     * @param vc the vision config
     * @param v25 Qwen2.5-VL (RMSNorm, SwiGLU, window attention) rather than Qwen2-VL
     * @param ckpt the checkpoint
     * @param manager owner of the weights
     */
    QwenVisionTower(HfConfig vc, boolean v25, WeightSource ckpt, NDManager manager) {
        this.v25 = v25;
        WeightSource w = PrefixedWeights.find(ckpt, "patch_embed.proj.weight", PREFIXES);
        patch = vc.intOr(14, "patch_size");
        temporal = vc.intOr(2, "temporal_patch_size");
        merge = vc.intOr(2, "spatial_merge_size");
        int channels = vc.intOr(3, "in_channels", "in_chans", "num_channels");
        if (channels != 3) {
            throw new ConfigException(vc.source() + ": in_channels " + channels + " is not supported (RGB images: 3)");
        }
        BlueprintBuilder b = BlueprintBuilder.blank(vc);
        b.causal = false;
        b.hiddenSize = v25 ? vc.requireInt("hidden_size") : vc.requireInt("embed_dim");
        outDim = v25 ? vc.requireInt("out_hidden_size") : vc.requireInt("hidden_size");
        b.numLayers = vc.requireInt("depth");
        b.numHeads = vc.requireInt("num_heads");
        b.numKvHeads = b.numHeads;
        b.headDim = b.hiddenSize / b.numHeads;
        if (b.headDim * b.numHeads != b.hiddenSize || b.headDim % 4 != 0) {
            throw new ConfigException(vc.source() + ": width " + b.hiddenSize + " / num_heads " + b.numHeads
                    + " must give a head width divisible by 4 (2-D rotary positions)");
        }
        b.rotaryDim = b.headDim;
        b.attnScale = 1.0 / Math.sqrt(b.headDim);
        b.placement = NormPlacement.PRE;
        b.normEps = 1e-6;
        b.qkvBias = b.outBias = b.mlpBias = true;
        b.hasLmHead = false;
        b.activation = Activation.fromConfig(vc.stringOr(v25 ? "silu" : "quick_gelu", "hidden_act"), vc.source());
        String l = "blocks.{i}.";
        if (v25) {
            b.norm = NormKind.RMS;
            b.gatedMlp = true;
            b.intermediateSize = vc.requireInt("intermediate_size");
            b.names = new WeightNames(null, null, null, null, null, null, null, l + "attn.qkv", l + "attn.proj",
                    l + "mlp.gate_proj", l + "mlp.up_proj", null, l + "mlp.down_proj", l + "norm1", null, l + "norm2", null,
                    null, null, null, null, null);
        } else {
            b.norm = NormKind.LAYER_NORM;
            b.gatedMlp = false;
            b.intermediateSize = (int) Math.round(b.hiddenSize * vc.doubleOr(4.0, "mlp_ratio"));
            b.names = new WeightNames(null, null, null, null, null, null, null, l + "attn.qkv", l + "attn.proj",
                    null, l + "mlp.fc1", null, l + "mlp.fc2", l + "norm1", null, l + "norm2", null,
                    null, null, null, null, null);
        }
        bp = b.build();
        fullAttention = new boolean[bp.numLayers()];
        if (v25) {
            int windowPx = vc.intOr(112, "window_size");
            windowTokens = windowPx / merge / patch;
            if (windowTokens <= 0) {
                throw new ConfigException(vc.source() + ": window_size " + windowPx + " is smaller than one merged token ("
                        + merge * patch + " px)");
            }
            JsonNode full = vc.json().get("fullatt_block_indexes");
            if (full != null && full.isArray()) {
                for (JsonNode i : full) {
                    if (i.asInt() < 0 || i.asInt() >= fullAttention.length) {
                        throw new ConfigException(vc.source() + ": fullatt_block_indexes holds " + i.asInt()
                                + " but depth is " + fullAttention.length);
                    }
                    fullAttention[i.asInt()] = true;
                }
            }
        } else {
            windowTokens = 0;
            Arrays.fill(fullAttention, true);
        }
        double theta = 10000.0;
        JsonNode rp = vc.json().get("rope_parameters");
        if (rp != null && rp.has("rope_theta")) {
            theta = rp.get("rope_theta").asDouble();
        }
        invFreq = RopeSpec.defaultInvFreq(theta, bp.headDim() / 2);
        int d = bp.hiddenSize();
        int k = 3 * temporal * patch * patch;
        blocks = BlockStack.load(bp, w, manager, null, null);
        patchW = Weights.loadAs(w, manager, "patch_embed.proj.weight", new long[] {d, 3, temporal, patch, patch}, d, k);
        mergerNorm = blocks.norm("merger.ln_q", d);
        int ctx = d * merge * merge;
        m0W = Weights.load(w, manager, "merger.mlp.0.weight", ctx, ctx);
        m0B = Weights.load(w, manager, "merger.mlp.0.bias", ctx);
        m2W = Weights.load(w, manager, "merger.mlp.2.weight", outDim, ctx);
        m2B = Weights.load(w, manager, "merger.mlp.2.bias", outDim);
    }

    /** @return the merged tokens' width (the language model's hidden size) */
    int outDim() {
        return outDim;
    }

    /** @return the patch size in pixels */
    int patchSize() {
        return patch;
    }

    /** @return the spatial merge size */
    int mergeSize() {
        return merge;
    }

    /** @return the blocks' blueprint */
    Blueprint blueprint() {
        return bp;
    }

    /** The tower's outputs: every hidden state [patches, D] (window order for Qwen2.5-VL) and the merged tokens. */
    record Output(float[][] hiddenStates, int patches, int width, float[] merged, int mergedTokens) {
    }

    /**
     * @param pixelValues [patches, 3*T*P*P] as the processor flattens them
     * @param grids image_grid_thw [images][3]
     * @param fwd a per-forward scope
     * @return hidden states and merged tokens (image order, raster order of merge groups within an image)
     */
    Output encode(float[] pixelValues, long[] pixelShape, long[][] grids, NDManager fwd) {
        int d = bp.hiddenSize();
        int k = 3 * temporal * patch * patch;
        if (pixelShape.length != 2 || pixelShape[1] != k) {
            throw new IllegalArgumentException("pixel_values must be [patches, " + k + "] (3 x " + temporal + " x " + patch
                    + " x " + patch + ") for this Qwen vision tower, got " + Arrays.toString(pixelShape));
        }
        int total = 0;
        List<Integer> frameLengths = new ArrayList<>();
        for (int i = 0; i < grids.length; i++) {
            long[] g = grids[i];
            if (g.length != 3 || g[0] <= 0 || g[1] <= 0 || g[2] <= 0 || g[1] % merge != 0 || g[2] % merge != 0) {
                throw new IllegalArgumentException("image_grid_thw[" + i + "] = " + Arrays.toString(g) + ": needs (t, h, w) > 0 "
                        + "with h and w multiples of spatial_merge_size " + merge);
            }
            for (int t = 0; t < g[0]; t++) {
                frameLengths.add((int) (g[1] * g[2]));
            }
            total += (int) (g[0] * g[1] * g[2]);
        }
        if (pixelShape[0] != total) {
            throw new IllegalArgumentException("pixel_values has " + pixelShape[0] + " patch rows but image_grid_thw "
                    + "describes " + total + " patches");
        }
        int unit = merge * merge;
        int groups = total / unit;
        int[] windowIndex = null;
        int[] windowLengths = null;
        if (v25) {
            List<Integer> idx = new ArrayList<>();
            List<Integer> lens = new ArrayList<>();
            windowOrder(grids, idx, lens);
            windowIndex = idx.stream().mapToInt(Integer::intValue).toArray();
            windowLengths = lens.stream().mapToInt(Integer::intValue).toArray();
        }
        // 2-D rotary: cos/sin [T, 1, head_dim] from each patch's (row, column), in the tower's token order
        int hd = bp.headDim();
        int[][] rc = patchPositions(grids, total);
        float[] cos = new float[total * hd];
        float[] sin = new float[total * hd];
        int q = invFreq.length;
        for (int s = 0; s < total; s++) {
            int src = windowIndex == null ? s : windowIndex[s / unit] * unit + s % unit;
            for (int a = 0; a < 2; a++) {
                for (int i = 0; i < q; i++) {
                    float f = rc[src][a] * invFreq[i];
                    float c = (float) Math.cos(f);
                    float sn = (float) Math.sin(f);
                    int j = a * q + i;
                    cos[s * hd + j] = c;
                    cos[s * hd + j + hd / 2] = c;
                    sin[s * hd + j] = sn;
                    sin[s * hd + j + hd / 2] = sn;
                }
            }
        }
        NDArray cosA = fwd.create(cos, new Shape(total, 1, hd));
        NDArray sinA = fwd.create(sin, new Shape(total, 1, hd));
        NDArray x = Linear.linear(fwd.create(pixelValues, new Shape(total, k)), patchW, null).singletonOrThrow();
        if (windowIndex != null) {
            x = x.reshape(groups, unit, d).get(fwd.create(toLong(windowIndex))).reshape(total, d);
        }
        BlockStack.Segments images = BlockStack.Segments.of(frameLengths.stream().mapToInt(Integer::intValue).toArray(), fwd);
        BlockStack.Segments windows = windowLengths == null ? images : BlockStack.Segments.of(windowLengths, fwd);
        float[][] states = new float[bp.numLayers() + 1][];
        states[0] = x.toFloatArray();
        for (int i = 0; i < bp.numLayers(); i++) {
            NDArray out;
            try (NDManager scope = fwd.newSubManager()) {
                x.tempAttach(scope);
                out = blocks.forward(i, x, fullAttention[i] ? images : windows, cosA, sinA);
                out.attach(fwd);
            }
            x = out;
            states[i + 1] = x.toFloatArray();
        }
        NDArray merged = mergerNorm.apply(x).reshape(groups, (long) d * unit);
        merged = Activation.GELU.apply(Linear.linear(merged, m0W, m0B).singletonOrThrow());
        merged = Linear.linear(merged, m2W, m2B).singletonOrThrow();
        if (windowIndex != null) {
            long[] inverse = new long[groups];
            for (int p = 0; p < groups; p++) {
                inverse[windowIndex[p]] = p;
            }
            merged = merged.get(fwd.create(inverse));
        }
        return new Output(states, total, d, merged.toFloatArray(), groups);
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /**
     * (row, column) of every patch in the processor's order: frames, then 2x2 merge groups in raster
     * order, then the patches inside a group.
     */
    int[][] patchPositions(long[][] grids, int total) {
        int[][] out = new int[total][];
        int s = 0;
        for (long[] g : grids) {
            int h = (int) g[1];
            int w = (int) g[2];
            for (int t = 0; t < g[0]; t++) {
                for (int br = 0; br < h / merge; br++) {
                    for (int bc = 0; bc < w / merge; bc++) {
                        for (int i = 0; i < merge; i++) {
                            for (int j = 0; j < merge; j++) {
                                out[s++] = new int[] {br * merge + i, bc * merge + j};
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Qwen2.5-VL's window order: per image and frame, the merged grid cut into windowTokens x windowTokens
     * windows (the last ones cut short), windows in raster order, merge groups in raster order inside.
     *
     * @param windowIndex receives, for each position in window order, the merge group's original index
     * @param windowLengths receives each non-empty window's length in patches
     */
    void windowOrder(long[][] grids, List<Integer> windowIndex, List<Integer> windowLengths) {
        int base = 0;
        int unit = merge * merge;
        for (long[] g : grids) {
            int gh = (int) g[1] / merge;
            int gw = (int) g[2] / merge;
            for (int t = 0; t < g[0]; t++) {
                int frameBase = base + t * gh * gw;
                for (int wy = 0; wy * windowTokens < gh; wy++) {
                    for (int wx = 0; wx * windowTokens < gw; wx++) {
                        int n = 0;
                        for (int y = wy * windowTokens; y < Math.min(gh, (wy + 1) * windowTokens); y++) {
                            for (int x = wx * windowTokens; x < Math.min(gw, (wx + 1) * windowTokens); x++) {
                                windowIndex.add(frameBase + y * gw + x);
                                n++;
                            }
                        }
                        windowLengths.add(n * unit);
                    }
                }
            }
            base += (int) g[0] * gh * gw;
        }
    }
}
