package org.latentlens.vision.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import java.util.function.UnaryOperator;
import org.latentlens.io.WeightSource;
import org.latentlens.model.Blueprint;

/**
 * SigLIP's multi-head attention pooling: a learned probe query attends over every token
 * ({@code torch.nn.MultiheadAttention}, fused q|k|v in_proj rows), then a LayerNorm + MLP residual; the
 * pooled vector is the probe's output.
 */
final class SiglipHead {
    private final Blueprint bp;
    private final NDArray probe;
    private final NDArray wIn;
    private final NDArray bIn;
    private final NDArray wOut;
    private final NDArray bOut;
    private final UnaryOperator<NDArray> norm;
    private final NDArray fc1W;
    private final NDArray fc1B;
    private final NDArray fc2W;
    private final NDArray fc2B;

    SiglipHead(Blueprint bp, WeightSource w, NDManager m, UnaryOperator<NDArray> norm) {
        this.bp = bp;
        int d = bp.hiddenSize();
        int inter = bp.intermediateSize();
        probe = Weights.load(w, m, "head.probe", 1, 1, d);
        wIn = Weights.load(w, m, "head.attention.in_proj_weight", 3L * d, d);
        bIn = Weights.load(w, m, "head.attention.in_proj_bias", 3L * d);
        wOut = Weights.load(w, m, "head.attention.out_proj.weight", d, d);
        bOut = Weights.load(w, m, "head.attention.out_proj.bias", d);
        this.norm = norm;
        fc1W = Weights.load(w, m, "head.mlp.fc1.weight", inter, d);
        fc1B = Weights.load(w, m, "head.mlp.fc1.bias", inter);
        fc2W = Weights.load(w, m, "head.mlp.fc2.weight", d, inter);
        fc2B = Weights.load(w, m, "head.mlp.fc2.bias", d);
    }

    /**
     * @param x last_hidden_state [B, N, D]
     * @return pooler_output [B, D]
     */
    NDArray apply(NDArray x) {
        int d = bp.hiddenSize();
        int h = bp.numHeads();
        int hd = d / h;
        long b = x.getShape().get(0);
        long n = x.getShape().get(1);
        NDArray q = Linear.linear(probe.reshape(1, d), wIn.get("0:" + d), bIn.get("0:" + d)).singletonOrThrow(); // [1, D]
        NDArray k = Linear.linear(x, wIn.get(d + ":" + 2 * d), bIn.get(d + ":" + 2 * d)).singletonOrThrow();
        NDArray v = Linear.linear(x, wIn.get(2 * d + ":"), bIn.get(2 * d + ":")).singletonOrThrow();
        NDArray qh = q.reshape(1, h, 1, hd);
        NDArray kh = k.reshape(b, n, h, hd).transpose(0, 2, 1, 3);
        NDArray vh = v.reshape(b, n, h, hd).transpose(0, 2, 1, 3);
        NDArray scores = qh.mul((float) (1.0 / Math.sqrt(hd))).matMul(kh.transpose(0, 1, 3, 2)); // [B, h, 1, N]
        NDArray ctx = scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, d);
        NDArray out = Linear.linear(ctx, wOut, bOut).singletonOrThrow();
        NDArray mlp = Linear.linear(bp.activation().apply(Linear.linear(norm.apply(out), fc1W, fc1B).singletonOrThrow()),
                fc2W, fc2B).singletonOrThrow();
        return out.add(mlp);
    }
}
